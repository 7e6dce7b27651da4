"""The Organisers group and the permissions it grants in the admin."""
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from accounts.models import ORGANISERS_GROUP

# The data migrations 0002 and 0003 grant the same list, so keep them in step.
ORGANISER_PERMISSIONS = {
    "events": ["add_event", "change_event", "view_event", "delete_event",
               "add_tickettype", "change_tickettype", "view_tickettype", "delete_tickettype"],
    "payments": ["view_order", "change_order", "view_orderline", "view_payment", "view_refund"],
    "tickets": ["view_ticket", "change_ticket"],
}


def ensure_organisers_group() -> Group:
    """Get or create the Organisers group; a new group gets the permissions listed above.

    The data migration creates the group, but a database flush (as after each transactional test)
    removes it while post_migrate recreates only the permissions.
    """
    group, created = Group.objects.get_or_create(name=ORGANISERS_GROUP)
    if created:
        permissions = Q()
        for app_label, codenames in ORGANISER_PERMISSIONS.items():
            permissions |= Q(content_type__app_label=app_label, codename__in=codenames)
        group.permissions.add(*Permission.objects.filter(permissions))
    return group
