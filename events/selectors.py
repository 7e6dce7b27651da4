"""Read-only queries over events that pages, the API and the admin share.

Seat counts read the order lines of the payments app through their related names (`order_lines`,
`orders`) without importing it: paid orders count as sold, pending orders count as held until their
`expires_at`, and every other order status frees its seats.
"""
from django.db.models import Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.models import Event, TicketType

PAID = "paid"
PENDING = "pending"


def ticket_types_with_counts(queryset=None, *, now=None):
    """Annotate ticket types with `sold_count` (paid orders) and `held_count` (unexpired pending orders)."""
    now = now or timezone.now()
    queryset = TicketType.objects.all() if queryset is None else queryset
    sold = Q(order_lines__order__status=PAID)
    held = Q(order_lines__order__status=PENDING, order_lines__order__expires_at__gt=now)
    return queryset.annotate(
        sold_count=Coalesce(Sum("order_lines__quantity", filter=sold), Value(0)),
        held_count=Coalesce(Sum("order_lines__quantity", filter=held), Value(0)),
    )


def event_seat_counts(event, *, now=None):
    """Return (sold, held) seats over all ticket types of an event."""
    now = now or timezone.now()
    totals = TicketType.objects.filter(event=event).aggregate(
        sold=Coalesce(Sum("order_lines__quantity", filter=Q(order_lines__order__status=PAID)), Value(0)),
        held=Coalesce(
            Sum(
                "order_lines__quantity",
                filter=Q(order_lines__order__status=PENDING, order_lines__order__expires_at__gt=now),
            ),
            Value(0),
        ),
    )
    return totals["sold"], totals["held"]


def ticket_types_for_sale(event, *, now=None):
    """Return the event's ticket types, each with `available` set for display."""
    return ticket_types_for_sale_by_event([event], now=now)[event.pk]


def ticket_types_for_sale_by_event(events, *, now=None) -> dict:
    """Return {event id: ticket types with `available` set} for several events in at most two queries.

    A type's availability is the smaller of its own free seats and the event's shared capacity left.
    """
    now = now or timezone.now()
    events = list(events)
    # Explicit order: Django leaves Meta.ordering out of aggregate queries, so PostgreSQL returned
    # the annotated types in any order.
    types = ticket_types_with_counts(
        TicketType.objects.filter(event__in=events).order_by("event_id", "sort_order", "id"), now=now,
    )
    event_left = _shared_capacity_left([event for event in events if event.capacity is not None], now=now)
    by_event = {event.pk: [] for event in events}
    events_by_id = {event.pk: event for event in events}
    for ticket_type in types:
        ticket_type.event = events_by_id[ticket_type.event_id]
        own_left = max(0, ticket_type.capacity - ticket_type.sold_count - ticket_type.held_count)
        shared_left = event_left.get(ticket_type.event_id)
        ticket_type.available = own_left if shared_left is None else min(own_left, shared_left)
        by_event[ticket_type.event_id].append(ticket_type)
    return by_event


def _shared_capacity_left(events, *, now) -> dict:
    """Return {event id: seats left of the event's total capacity} for events that have one."""
    if not events:
        return {}
    rows = TicketType.objects.filter(event__in=events).order_by().values("event_id").annotate(
        sold=Sum("order_lines__quantity", filter=Q(order_lines__order__status=PAID)),
        held=Sum(
            "order_lines__quantity",
            filter=Q(order_lines__order__status=PENDING, order_lines__order__expires_at__gt=now),
        ),
    )
    counted = {row["event_id"]: (row["sold"] or 0) + (row["held"] or 0) for row in rows}
    return {event.pk: max(0, event.capacity - counted.get(event.pk, 0)) for event in events}


def public_events(*, query: str = "", date_from=None, date_to=None):
    """Return published upcoming events, filtered by a search text and a date range."""
    events = Event.objects.upcoming().prefetch_related(
        Prefetch("ticket_types", queryset=TicketType.objects.order_by("sort_order", "id"))
    )
    if query:
        events = events.filter(
            Q(title__icontains=query) | Q(description__icontains=query)
            | Q(location__icontains=query) | Q(venue__icontains=query)
        )
    if date_from:
        events = events.filter(starts_at__date__gte=date_from)
    if date_to:
        events = events.filter(starts_at__date__lte=date_to)
    return events


def public_event(slug_or_id):
    """Return a published event by slug or id, or raise Event.DoesNotExist (drafts included)."""
    lookup = {"pk": slug_or_id} if isinstance(slug_or_id, int) else {"slug": slug_or_id}
    return Event.objects.published().get(**lookup)
