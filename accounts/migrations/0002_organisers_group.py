"""Create the Organisers group with the permissions an organiser needs in the admin."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANISER_PERMISSIONS = {
    "events": ["add_event", "change_event", "view_event", "delete_event",
               "add_tickettype", "change_tickettype", "view_tickettype", "delete_tickettype"],
    "payments": ["view_order", "change_order", "view_orderline", "view_payment"],
    "tickets": ["view_ticket", "change_ticket"],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the group gets them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="Organisers")
    for app_label, codenames in ORGANISER_PERMISSIONS.items():
        permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        group.permissions.add(*permissions)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Organisers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("events", "0001_initial"),
        ("payments", "0001_initial"),
        ("tickets", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
