"""Issuing the tickets of a paid order."""
import logging

from django.db import transaction

from tickets.models import OrderEmail, Ticket
from tickets.services.email import request_order_email
from tickets.services.keys import get_signing_key

logger = logging.getLogger(__name__)


@transaction.atomic
def issue_tickets(order) -> list[Ticket]:
    """Create one ticket per seat of a paid order and queue its email, once; a repeat call returns the existing tickets.

    The caller holds the lock that confirms the order, so two callers cannot both see no tickets.
    The email is enqueued only after the transaction commits, so a mail failure cannot undo the
    payment and a rolled-back confirmation sends nothing.
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
    # Create the event's key now, inside the confirming transaction, so pages and the email
    # never race to create it later.
    get_signing_key(order.event)
    request_order_email(order, reason=OrderEmail.Reason.CONFIRMATION)
    logger.info("Issued %d tickets for order %s", len(tickets), order.number)
    return list(Ticket.objects.filter(order_line__order=order).order_by("id"))
