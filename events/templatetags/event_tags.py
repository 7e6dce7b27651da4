from django import template
from django.templatetags.tz import do_timezone
from django.utils.translation import gettext as _

from events.currencies import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    """Format an amount in a currency: {{ ticket_type.price|money:event.currency }}."""
    if amount is None:
        return ""
    return format_money(amount, currency)


@register.filter
def price(amount, currency):
    """Format a ticket price like `money`, or as "Free" when it is zero: {{ ticket_type.price|price:event.currency }}.

    Totals and amounts paid keep `money`, so a sum of zero still reads as an amount.
    """
    if amount is None:
        return ""
    if amount == 0:
        return _("Free")
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
