from django import template
from django.utils.safestring import mark_safe

from tickets import qr, services

register = template.Library()


@register.simple_tag
def ticket_qr_svg(ticket):
    """Render the ticket's QR code as inline SVG: {% ticket_qr_svg ticket %}."""
    # segno writes the SVG from the token alone, which is ASCII from a fixed alphabet.
    return mark_safe(qr.qr_svg(services.ticket_token(ticket)))  # noqa: S308
