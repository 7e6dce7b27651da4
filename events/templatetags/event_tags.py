from django import template
from django.templatetags.tz import do_timezone

from events.currencies import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    """Format an amount in a currency: {{ ticket_type.price|money:event.currency }}."""
    if amount is None:
        return ""
    return format_money(amount, currency)


@register.filter
def in_event_zone(value, event):
    """Convert a datetime to the event's own time zone for display.

    Unlike `timezone.localtime`, the result is marked so that the `date` filter after it does not
    convert it back to the current time zone.
    """
    if value is None:
        return value
    return do_timezone(value, event.tzinfo)
