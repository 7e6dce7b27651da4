"""Event and TicketType models: database constraints, deletion rules and sales windows."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from events.models import Event, TicketType
from payments.models import Order, OrderLine

pytestmark = pytest.mark.django_db


def insert_fails(callback):
    with pytest.raises(IntegrityError), transaction.atomic():
        callback()


def test_ticket_price_not_negative(event):
    insert_fails(lambda: TicketType.objects.create(event=event, name="Refund", price=Decimal("-1.00"), capacity=1))


def test_ticket_capacity_not_negative(event):
    insert_fails(lambda: TicketType.objects.filter(event=event).update(capacity=-1))


def test_event_capacity_not_negative(event):
    insert_fails(lambda: Event.objects.filter(pk=event.pk).update(capacity=-1))


def test_max_per_order_at_least_one(event):
    insert_fails(lambda: TicketType.objects.filter(event=event).update(max_per_order=0))


def test_ends_at_after_starts_at(event):
    insert_fails(lambda: Event.objects.filter(pk=event.pk).update(ends_at=event.starts_at))


def test_ends_at_before_start_rejected(event):
    insert_fails(lambda: Event.objects.filter(pk=event.pk).update(ends_at=event.starts_at - timedelta(hours=1)))


def test_sales_end_after_sales_start(event):
    now = timezone.now()
    insert_fails(lambda: Event.objects.filter(pk=event.pk).update(sales_start=now, sales_end=now))


def test_slug_unique(event, organiser):
    insert_fails(lambda: Event.objects.create(
        organiser=organiser, title="Copy", slug=event.slug, location="Lagos", starts_at=event.starts_at,
    ))


def test_ticket_type_name_unique_per_event(event):
    insert_fails(lambda: TicketType.objects.create(event=event, name="General admission", price=1, capacity=1))


def test_zero_price_and_capacity_allowed(event):
    TicketType.objects.create(event=event, name="Free, full", price=Decimal("0"), capacity=0)

    assert event.ticket_types.count() == 2


def test_organiser_with_events_cannot_be_deleted(event, organiser):
    with pytest.raises(ProtectedError):
        organiser.delete()


def test_event_with_orders_cannot_be_deleted(event, user):
    ticket_type = event.ticket_types.get()
    order = Order.objects.create(
        buyer=user, event=event, email=user.email, currency="NGN", total_minor=500000,
        expires_at=timezone.now() + timedelta(minutes=15),
    )
    OrderLine.objects.create(order=order, ticket_type=ticket_type, quantity=1, unit_price=ticket_type.price)

    with pytest.raises(ProtectedError):
        event.delete()
    with pytest.raises(ProtectedError):
        ticket_type.delete()


def test_event_without_orders_can_be_deleted(event):
    event.delete()

    assert not TicketType.objects.exists()


def test_local_start_in_event_zone(make_event):
    event = make_event(starts_at=timezone.datetime(2027, 1, 10, 18, 0, tzinfo=timezone.UTC), time_zone="Africa/Lagos")

    assert event.local_starts_at.hour == 19
    assert event.local_starts_at.utcoffset() == timedelta(hours=1)


def test_upcoming_excludes_drafts_cancelled_and_past(make_event):
    published = make_event(title="Published")
    make_event(title="Draft", status=Event.Status.DRAFT)
    make_event(title="Cancelled", status=Event.Status.CANCELLED)
    make_event(title="Past", starts_at=timezone.now() - timedelta(hours=1))

    assert list(Event.objects.upcoming()) == [published]


def test_sales_open_for_published_future_event(event):
    assert event.sales_closed_reason() is None


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"status": Event.Status.DRAFT}, "not on sale"),
        ({"status": Event.Status.CANCELLED}, "cancelled"),
        ({"sales_start": timedelta(days=1)}, "not started"),
        ({"sales_end": timedelta(days=-1)}, "ended"),
    ],
)
def test_sales_closed_reasons(event, fields, reason):
    now = timezone.now()
    for name, value in fields.items():
        setattr(event, name, now + value if isinstance(value, timedelta) else value)

    assert reason in str(event.sales_closed_reason(now))


def test_sales_close_at_start(event):
    assert "started" in str(event.sales_closed_reason(event.starts_at))


def test_sales_after_start_when_allowed(event):
    event.allow_sales_after_start = True
    event.ends_at = event.starts_at + timedelta(hours=3)

    assert event.sales_closed_reason(event.starts_at + timedelta(hours=1)) is None
    assert "ended" in str(event.sales_closed_reason(event.ends_at))


def test_ticket_type_sales_window(event):
    ticket_type = event.ticket_types.get()
    now = timezone.now()
    ticket_type.sales_end = now

    assert "General admission" in str(ticket_type.sales_closed_reason(now))
