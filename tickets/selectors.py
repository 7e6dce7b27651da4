"""Ticket reads shared by pages, the API and the email."""
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from events.models import Event
from tickets.models import Ticket

# An event without an end time stays among the upcoming ones for this long after it starts, so
# its tickets stay at the top of "My tickets" while it runs.
OPEN_ENDED_EVENT_DURATION = timedelta(hours=12)


def user_tickets(user):
    """Return the user's tickets with everything a page or the API shows about them."""
    return Ticket.objects.filter(holder=user).select_related(
        "order_line__ticket_type__event__signing_key", "order_line__order", "checked_in_by",
    )


def user_tickets_by_time(user, *, now=None) -> tuple[list[Ticket], list[Ticket]]:
    """Return the user's tickets split into (upcoming soonest first, past latest first)."""
    now = now or timezone.now()
    tickets = user_tickets(user)
    upcoming_filter = Q(order_line__ticket_type__event__ends_at__gt=now) | Q(
        order_line__ticket_type__event__ends_at__isnull=True,
        order_line__ticket_type__event__starts_at__gt=now - OPEN_ENDED_EVENT_DURATION,
    )
    upcoming = tickets.filter(upcoming_filter).order_by("order_line__ticket_type__event__starts_at", "id")
    past = tickets.exclude(upcoming_filter).order_by("-order_line__ticket_type__event__starts_at", "id")
    return list(upcoming), list(past)


def checkin_events(user):
    """Return the events whose tickets the user may check in, soonest first, with ticket counts."""
    events = Event.objects.owned_by(user).exclude(status=Event.Status.DRAFT)
    return events.annotate(
        ticket_count=Count(
            "ticket_types__order_lines__tickets",
            filter=~Q(ticket_types__order_lines__tickets__status=Ticket.Status.VOID),
        ),
        checked_in_count=Count(
            "ticket_types__order_lines__tickets",
            filter=Q(ticket_types__order_lines__tickets__status=Ticket.Status.CHECKED_IN),
        ),
    ).order_by("starts_at", "id")


def revoked_codes(event) -> list[str]:
    """Return the codes of the event's void tickets, for scanners that verify offline."""
    return list(
        Ticket.objects.filter(order_line__ticket_type__event=event, status=Ticket.Status.VOID)
        .order_by("id").values_list("code", flat=True)
    )
