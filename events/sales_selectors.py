"""Sales figures per event and per ticket type for the organisers' back office.

Like `events.selectors`, these read the payments app's rows through related names (`orders`,
`order_lines`) without importing it. Each figure is a correlated subquery, so a page of events costs
one query whatever its length, and figures from different relations cannot multiply each other's
rows the way several joins in one GROUP BY would.
"""
from django.db.models import DecimalField, ExpressionWrapper, F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.models import Event, TicketType
from events.selectors import PAID, PENDING


def _subquery_sum(queryset, group_by, expression, output_field=None):
    """Return a subquery that sums `expression` over `queryset`, grouped by the outer row's key."""
    output_field = output_field or IntegerField()
    grouped = queryset.order_by().values(group_by).annotate(total=Sum(expression)).values("total")[:1]
    return Coalesce(Subquery(grouped), Value(0), output_field=output_field)


def events_with_sales(queryset=None, *, now=None):
    """Annotate events with `sold_count`, `held_count`, `type_capacity` and `revenue_minor`.

    `revenue_minor` is the total of paid orders in the event's currency, in minor units. Use
    `remaining_seats(event)` for the seats still on sale.
    """
    now = now or timezone.now()
    queryset = Event.objects.all() if queryset is None else queryset
    types = TicketType.objects.filter(event=OuterRef("pk"))
    sold = types.filter(order_lines__order__status=PAID)
    held = types.filter(order_lines__order__status=PENDING, order_lines__order__expires_at__gt=now)
    paid_orders = Event.objects.filter(pk=OuterRef("pk"), orders__status=PAID)
    return queryset.annotate(
        sold_count=_subquery_sum(sold, "event", "order_lines__quantity"),
        held_count=_subquery_sum(held, "event", "order_lines__quantity"),
        type_capacity=_subquery_sum(types, "event", "capacity"),
        revenue_minor=_subquery_sum(paid_orders, "pk", "orders__total_minor"),
    )


def remaining_seats(event) -> int:
    """Return the seats of an annotated event that are neither sold nor held."""
    capacity = event.type_capacity
    if event.capacity is not None:
        capacity = min(capacity, event.capacity)
    return max(0, capacity - event.sold_count - event.held_count)


def ticket_types_with_sales(queryset, *, now=None):
    """Annotate ticket types with `sold_count`, `held_count` and `revenue` (Decimal, paid orders)."""
    now = now or timezone.now()
    lines = TicketType.objects.filter(pk=OuterRef("pk"))
    sold = lines.filter(order_lines__order__status=PAID)
    held = lines.filter(order_lines__order__status=PENDING, order_lines__order__expires_at__gt=now)
    money = DecimalField(max_digits=14, decimal_places=2)
    line_total = ExpressionWrapper(F("order_lines__quantity") * F("order_lines__unit_price"), output_field=money)
    return queryset.annotate(
        sold_count=_subquery_sum(sold, "pk", "order_lines__quantity"),
        held_count=_subquery_sum(held, "pk", "order_lines__quantity"),
        revenue=_subquery_sum(sold, "pk", line_total, money),
    )


def seats_taken(ticket_type, *, now=None) -> tuple[int, int]:
    """Return (sold, held) seats of one ticket type, read fresh from the database."""
    annotated = ticket_types_with_sales(TicketType.objects.filter(pk=ticket_type.pk), now=now).get()
    return annotated.sold_count, annotated.held_count


def event_has_orders(event) -> bool:
    """Return whether any order, in any status, was ever placed for the event."""
    return event.orders.exists()


def revenue_by_currency(events) -> list[dict]:
    """Return paid revenue per currency over a queryset of events: [{"currency", "revenue_minor"}]."""
    return list(
        Event.objects.filter(pk__in=events.values("pk"), orders__status=PAID)
        .values("currency")
        .annotate(revenue_minor=Sum("orders__total_minor"))
        .order_by("currency")
    )
