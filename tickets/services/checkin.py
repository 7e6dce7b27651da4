"""Checking tickets in at the door, and voiding them."""
import logging

from django.db import transaction
from django.utils import timezone

from events.models import Event
from tickets.exceptions import AlreadyCheckedIn, NotEventOrganiser, TicketNotFound, TicketVoid, WrongEvent
from tickets.models import Ticket
from tickets.services.keys import verify_ticket_token

logger = logging.getLogger(__name__)


def can_check_in(user, event) -> bool:
    """Return whether the user may check tickets in at the event: its organiser or a superuser."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or event.organiser_id == user.pk))


def check_in(*, token: str, by, event=None, now=None) -> Ticket:
    """Admit the ticket of a scanned QR token, once, and return it.

    `event`, when given, is the event at the door; a genuine ticket of another event is rejected.
    Raises TicketNotFound (malformed, forged or unknown), WrongEvent, NotEventOrganiser,
    AlreadyCheckedIn (with the first scan's time and scanner) or TicketVoid.
    """
    claims = verify_ticket_token(token.strip())
    if event is not None and claims.event_id != event.pk:
        raise WrongEvent()
    ticket_event = event or Event.objects.get(pk=claims.event_id)
    if not can_check_in(by, ticket_event):
        raise NotEventOrganiser()

    tickets = Ticket.objects.select_related("order_line__ticket_type__event", "checked_in_by", "order_line__order")
    ticket = tickets.filter(code=claims.code, order_line__ticket_type__event_id=claims.event_id).first()
    if ticket is None:
        raise TicketNotFound()

    now = now or timezone.now()
    # A conditional UPDATE locks the row, so of two simultaneous scans exactly one changes a valid
    # ticket. The other updates zero rows and then reports the first scan's time and scanner.
    admitted = Ticket.objects.filter(pk=ticket.pk, status=Ticket.Status.VALID).update(
        status=Ticket.Status.CHECKED_IN, checked_in_at=now, checked_in_by=by,
    )
    ticket = tickets.get(pk=ticket.pk)
    if admitted:
        logger.info("Checked in ticket %s of order %s", ticket.code[:8], ticket.order_line.order.number)
        return ticket
    if ticket.status == Ticket.Status.CHECKED_IN:
        logger.info("Rejected a second scan of ticket %s", ticket.code[:8])
        raise AlreadyCheckedIn(ticket, _already_checked_in_message(ticket))
    logger.info("Rejected void ticket %s", ticket.code[:8])
    raise TicketVoid(ticket)


def _already_checked_in_message(ticket: Ticket) -> str:
    local_time = timezone.localtime(ticket.checked_in_at, ticket.event.tzinfo)
    scanner = ticket.checked_in_by.get_username() if ticket.checked_in_by else "an unknown user"
    return f"This ticket was already checked in at {local_time:%H:%M:%S} on {local_time:%d %b %Y} by {scanner}."


def void_ticket(ticket: Ticket, *, by=None) -> Ticket:
    """Void a ticket so check-in rejects it and it appears on the event's revocation list."""
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.VOID)
    ticket.refresh_from_db()
    logger.info("Voided ticket %s (by %s)", ticket.code[:8], by.get_username() if by else "the system")
    return ticket


@transaction.atomic
def void_order_tickets(order, *, by=None) -> int:
    """Void every ticket of an order, for example after a refund; return how many changed."""
    count = (
        Ticket.objects.filter(order_line__order=order).exclude(status=Ticket.Status.VOID)
        .update(status=Ticket.Status.VOID)
    )
    logger.info("Voided %d tickets of order %s (by %s)", count, order.number, by.get_username() if by else "the system")
    return count
