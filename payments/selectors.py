"""Read-only queries over orders and payments that the pages and the API share."""
from django.conf import settings
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from events.currencies import from_minor_units, to_minor_units
from payments.models import Order, Payment
from payments.services.confirmation import order_tickets


def orders_of(user):
    """Return the user's orders; any other user's order is simply not found."""
    return Order.objects.filter(buyer=user).select_related("event")


def order_history(user, *, now=None):
    """Return the user's orders for their order list: orders whose hold is running first, then newest first.

    Each order is annotated with `hold_active` and `needs_review` (a payment that the organiser must check).
    """
    now = now or timezone.now()
    running = Q(status=Order.Status.PENDING, expires_at__gt=now)
    return orders_of(user).annotate(
        hold_active=Case(When(running, then=Value(True)), default=Value(False), output_field=BooleanField()),
        needs_review=Exists(Payment.objects.filter(order=OuterRef("pk"), needs_review=True)),
    ).order_by("-hold_active", "-created_at", "-pk")


def review_lines(event, quantities: dict[int, int]) -> dict:
    """Return the review page's lines and total for a choice, without holding anything."""
    types = {ticket_type.pk: ticket_type for ticket_type in event.ticket_types.filter(pk__in=quantities)}
    lines = [
        {"ticket_type": types[type_id], "quantity": quantity, "subtotal": types[type_id].price * quantity}
        for type_id, quantity in quantities.items() if type_id in types
    ]
    total_minor = sum(to_minor_units(line["subtotal"]) for line in lines)
    return {"lines": lines, "total": from_minor_units(total_minor), "hold_minutes": settings.ORDER_HOLD_MINUTES}


def latest_payment(order) -> Payment | None:
    return order.payments.order_by("-created_at", "-pk").first()


def order_page_context(order, *, now=None) -> dict:
    """Return what the order page shows: lines, tickets, the hold and the last payment attempt."""
    now = now or timezone.now()
    hold_active = order.status == Order.Status.PENDING and order.expires_at > now
    needs_review = order.payments.filter(needs_review=True).exists()
    return {
        "order": order,
        "lines": order.lines.select_related("ticket_type"),
        "tickets": order_tickets(order),
        "payment": latest_payment(order),
        "hold_active": hold_active,
        "hold_ended": order.status == Order.Status.EXPIRED or (order.status == Order.Status.PENDING and not hold_active),
        "needs_review": needs_review,
        # Money already arrived for an order under review, so the page must not invite another payment.
        "can_pay": hold_active and not needs_review,
    }
