from django import template
from django.utils import timezone

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
    """Convert a datetime to the event's own time zone for display."""
    if value is None:
        return value
    return timezone.localtime(value, event.tzinfo)
