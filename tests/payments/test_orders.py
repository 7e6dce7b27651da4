"""Order creation: holds, limits, sales windows and availability."""
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from events.selectors import ticket_types_for_sale
from payments import services
from payments.exceptions import EventNotFound, HoldLimitReached, InvalidQuantity, SalesClosed, SoldOut
from payments.models import Order
from tests.threads import run_together


def type_ids(event):
    return list(event.ticket_types.order_by("sort_order").values_list("pk", flat=True))


def test_order_holds_seats(event, make_order):
    order = make_order(event, 2)
    assert order.status == Order.Status.PENDING
    assert order.total_minor == 1000000
    assert order.currency == event.currency
    assert ticket_types_for_sale(event)[0].available == 98


def test_hold_length_from_settings(event, make_order, settings):
    settings.ORDER_HOLD_MINUTES = 7
    before = timezone.now()
    order = make_order(event)
    assert before + timedelta(minutes=7) <= order.expires_at <= timezone.now() + timedelta(minutes=7)


def test_lines_keep_unit_price(make_event, make_order):
    event = make_event(types=(("Regular", "5000.00", 10), ("VIP", "12500.50", 5)))
    regular, vip = type_ids(event)
    order = make_order(event, {regular: 1, vip: 2})
    assert [(line.ticket_type_id, line.quantity, str(line.unit_price)) for line in order.lines.all()] == [
        (regular, 1, "5000.00"), (vip, 2, "12500.50"),
    ]
    assert order.total_minor == 500000 + 2 * 1250050


def test_repeated_type_is_summed(event, user):
    type_id = type_ids(event)[0]
    order = services.create_order(buyer=user, event_id=event.pk, quantities=[(type_id, 2), (type_id, 3)])
    assert order.seat_count == 5


def test_zero_quantity_rejected(event, make_order):
    with pytest.raises(InvalidQuantity):
        make_order(event, 0)
    assert not Order.objects.exists()


def test_negative_quantity_rejected(event, make_order):
    with pytest.raises(InvalidQuantity):
        make_order(event, -1)


def test_over_max_per_order_rejected(event, make_order):
    event.ticket_types.update(max_per_order=4)
    with pytest.raises(InvalidQuantity) as raised:
        make_order(event, 5)
    assert "at most 4" in str(raised.value.message)
    assert not Order.objects.exists()


def test_max_per_order_summed_over_lines(event, user):
    event.ticket_types.update(max_per_order=4)
    type_id = type_ids(event)[0]
    with pytest.raises(InvalidQuantity):
        services.create_order(buyer=user, event_id=event.pk, quantities=[(type_id, 2), (type_id, 3)])


def test_other_events_type_rejected(make_event, make_order):
    event = make_event()
    other = make_event(title="Other")
    with pytest.raises(InvalidQuantity):
        make_order(event, {type_ids(other)[0]: 1})


def test_unknown_event_rejected(user):
    with pytest.raises(EventNotFound):
        services.create_order(buyer=user, event_id=999999, quantities={1: 1})


def test_sold_out_rejected(make_event, make_order):
    event = make_event(types=(("General admission", "5000.00", 3),))
    make_order(event, 2)
    with pytest.raises(SoldOut) as raised:
        make_order(event, 2)
    assert str(raised.value.message) == "Only 1 seat is left for General admission."
    assert Order.objects.count() == 1


def test_some_seats_left_message(make_event, make_order):
    event = make_event(types=(("Table for four", "5000.00", 8),))
    make_order(event, 3)
    with pytest.raises(SoldOut) as raised:
        make_order(event, 6)
    assert str(raised.value.message) == "Only 5 seats are left for Table for four."


def test_no_seats_left_message(make_event, make_order):
    event = make_event(types=(("Table for four", "5000.00", 2),))
    make_order(event, 2)
    with pytest.raises(SoldOut) as raised:
        make_order(event, 1)
    assert str(raised.value.message) == "Sold out: Table for four has no seats left."


def test_shared_event_capacity(make_event, make_order):
    event = make_event(types=(("Regular", "10.00", 10), ("VIP", "20.00", 10)), capacity=5)
    regular, vip = type_ids(event)
    make_order(event, {regular: 4})
    with pytest.raises(SoldOut):
        make_order(event, {vip: 2})
    assert make_order(event, {vip: 1}).seat_count == 1


def test_expired_hold_frees_seats(make_event, make_order):
    event = make_event(types=(("General admission", "5000.00", 2),))
    first = make_order(event, 2)
    Order.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert make_order(event, 2).seat_count == 2


def test_paid_orders_keep_seats(make_event, make_order):
    event = make_event(types=(("General admission", "5000.00", 2),))
    first = make_order(event, 2)
    Order.objects.filter(pk=first.pk).update(status=Order.Status.PAID, expires_at=timezone.now() - timedelta(days=1))
    with pytest.raises(SoldOut):
        make_order(event, 1)


def test_cancelled_order_frees_seats(make_event, make_order):
    event = make_event(types=(("General admission", "5000.00", 2),))
    first = make_order(event, 2)
    Order.objects.filter(pk=first.pk).update(status=Order.Status.CANCELLED)
    assert make_order(event, 2).seat_count == 2


@pytest.mark.parametrize("change", [
    {"status": Event.Status.CANCELLED},
    {"status": Event.Status.DRAFT},
    {"sales_start": timezone.now() + timedelta(days=1)},
    {"sales_end": timezone.now() - timedelta(minutes=1), "sales_start": timezone.now() - timedelta(days=2)},
])
def test_closed_sales_rejected(event, make_order, change):
    Event.objects.filter(pk=event.pk).update(**change)
    with pytest.raises(SalesClosed):
        make_order(event)
    assert not Order.objects.exists()


def test_started_event_rejected(make_event, make_order):
    event = make_event(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(SalesClosed):
        make_order(event)


def test_started_event_allowed_when_organiser_allows(make_event, make_order):
    event = make_event(starts_at=timezone.now() - timedelta(minutes=5), allow_sales_after_start=True)
    assert make_order(event).status == Order.Status.PENDING


def test_ticket_type_window_rejected(event, make_order):
    event.ticket_types.update(sales_end=timezone.now() - timedelta(minutes=1))
    with pytest.raises(SalesClosed) as raised:
        make_order(event)
    assert "General admission" in str(raised.value.message)


def test_free_order_paid_at_once(make_event, make_order):
    event = make_event(types=(("Free entry", "0.00", 10),))
    order = make_order(event, 2)
    payment = services.start_payment(order)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert payment.amount_minor == 0
    assert len(services.order_tickets(order)) == 2


def test_check_order_holds_nothing(make_event):
    event = make_event(types=(("Regular", "10.00", 5),))
    (regular,) = type_ids(event)
    assert services.check_order(event_id=event.pk, quantities={regular: 5}) == {regular: 5}
    assert not Order.objects.exists()
    assert ticket_types_for_sale(event)[0].available == 5


@pytest.mark.parametrize("quantity, error", [(0, InvalidQuantity), (11, InvalidQuantity), (6, SoldOut)])
def test_check_order_rejects_like_create(make_event, quantity, error):
    event = make_event(types=(("Regular", "10.00", 5),))
    (regular,) = type_ids(event)
    with pytest.raises(error):
        services.check_order(event_id=event.pk, quantities={regular: quantity})


def test_check_order_sales_closed(make_event):
    event = make_event(types=(("Regular", "10.00", 5),))
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    with pytest.raises(SalesClosed):
        services.check_order(event_id=event.pk, quantities={type_ids(event)[0]: 1})


def test_second_hold_over_limit_rejected(event, make_order):
    make_order(event, 10)

    with pytest.raises(HoldLimitReached) as raised:
        make_order(event, 10)

    assert raised.value.status_code == 409
    assert raised.value.code == "hold_limit"
    assert "You already hold 10 General admission tickets" in str(raised.value.message)
    assert "at most 10" in str(raised.value.message)
    assert Order.objects.count() == 1
    assert ticket_types_for_sale(event)[0].available == 90


def test_hold_limit_counts_up_to_max(event, make_order):
    make_order(event, 6)

    with pytest.raises(HoldLimitReached):
        make_order(event, 5)
    assert make_order(event, 4).seat_count == 4


def test_hold_limit_over_several_orders(event, make_order):
    make_order(event, 5)
    make_order(event, 5)

    with pytest.raises(HoldLimitReached) as raised:
        make_order(event, 1)
    assert "You already hold 10 General admission tickets" in str(raised.value.message)


def test_hold_limit_freed_when_hold_expires(event, make_order, user):
    first = make_order(event, 10)

    later = first.expires_at + timedelta(seconds=1)
    second = services.create_order(
        buyer=user, event_id=event.pk, quantities={type_ids(event)[0]: 10}, now=later,
    )

    assert second.seat_count == 10
    assert Order.objects.count() == 2


def test_hold_limit_ignores_paid_orders(event, make_order):
    first = make_order(event, 10)
    Order.objects.filter(pk=first.pk).update(status=Order.Status.PAID)

    assert make_order(event, 10).seat_count == 10


def test_hold_limit_per_buyer(event, make_order, make_user):
    make_order(event, 10)

    assert make_order(event, 10, buyer=make_user("other")).seat_count == 10


def test_hold_limit_per_ticket_type(make_event, make_order):
    event = make_event(types=(("Regular", "10.00", 50), ("VIP", "20.00", 50)))
    regular, vip = type_ids(event)
    make_order(event, {regular: 10})

    assert make_order(event, {vip: 10}).seat_count == 10
    with pytest.raises(HoldLimitReached):
        make_order(event, {regular: 1, vip: 0})


def test_check_order_applies_hold_limit(event, make_order, user, make_user):
    make_order(event, 10)
    type_id = type_ids(event)[0]

    with pytest.raises(HoldLimitReached):
        services.check_order(event_id=event.pk, quantities={type_id: 1}, buyer=user)
    assert services.check_order(event_id=event.pk, quantities={type_id: 1}) == {type_id: 1}
    assert services.check_order(event_id=event.pk, quantities={type_id: 1}, buyer=make_user("other")) == {type_id: 1}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_checkouts_one_hold(event, user):
    """Let one of a buyer's simultaneous checkouts through, because the event lock serialises them."""
    type_id = type_ids(event)[0]

    def checkout():
        return services.create_order(buyer=user, event_id=event.pk, quantities={type_id: 10})

    results = run_together([checkout for _number in range(6)])

    assert sum(isinstance(result, Order) for result in results) == 1
    assert sum(isinstance(result, HoldLimitReached) for result in results) == 5
    assert Order.objects.count() == 1
