"""Let organisers see the refunds of their orders in the admin."""
from django.contrib.auth.management import create_permissions
from django.db import migrations


def add_permission(apps, schema_editor):
    # Permissions of a model created in this same migrate run do not exist yet: create them now.
    app_config = apps.get_app_config("payments")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="Organisers")
    group.permissions.add(Permission.objects.get(content_type__app_label="payments", codename="view_refund"))


def remove_permission(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="payments", codename="view_refund").first()
    group = Group.objects.filter(name="Organisers").first()
    if permission and group:
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organisers_group"),
        ("payments", "0002_refunds"),
    ]

    operations = [migrations.RunPython(add_permission, remove_permission)]
