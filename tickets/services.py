"""Ticket writes: issuing the tickets of a paid order."""
import logging

from django.db import transaction

from tickets.models import Ticket

logger = logging.getLogger(__name__)


@transaction.atomic
def issue_tickets(order) -> list[Ticket]:
    """Create one ticket per seat of a paid order, once; a repeat call returns the existing tickets.

    The caller holds the lock that confirms the order, so two callers cannot both see no tickets.
    """
    existing = list(Ticket.objects.filter(order_line__order=order).order_by("id"))
    if existing:
        return existing
    holder_name = order.buyer.get_full_name() or order.buyer.username
    tickets = [
        Ticket(order_line=line, holder=order.buyer, holder_name=holder_name)
        for line in order.lines.select_related("ticket_type")
        for _seat in range(line.quantity)
    ]
    Ticket.objects.bulk_create(tickets)
    logger.info("Issued %d tickets for order %s", len(tickets), order.number)
    return list(Ticket.objects.filter(order_line__order=order).order_by("id"))
