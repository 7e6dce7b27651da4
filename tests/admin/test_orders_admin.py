"""Orders and payments in the admin: read-only money and references, filters, flagged payments first."""
from datetime import timedelta

import pytest
from django.utils import timezone

from payments.models import Order, Payment

ORDERS = "/admin/payments/order/"
PAYMENTS = "/admin/payments/payment/"


def test_order_fields_read_only(login, alice, alice_event, make_order):
    order = make_order(alice_event)
    client = login(alice)
    response = client.post(f"{ORDERS}{order.pk}/change/", {
        "email": "thief@example.com", "total_minor": "1", "status": "pending",
    })
    assert response.status_code in (200, 302)
    order.refresh_from_db()
    assert (order.email, order.total_minor, order.status) == ("buyer@example.com", 1000000, Order.Status.PAID)


def test_order_page_hides_save(login, alice, alice_event, make_order):
    order = make_order(alice_event)
    response = login(alice).get(f"{ORDERS}{order.pk}/change/")
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert order.number in response.content.decode()


def test_orders_cannot_be_added_or_deleted(login, alice, alice_event, make_order):
    order = make_order(alice_event)
    client = login(alice)
    assert client.get(f"{ORDERS}add/").status_code == 403
    assert client.post(f"{ORDERS}{order.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Order.objects.filter(pk=order.pk).exists()


def test_orders_filter_by_status(login, alice, alice_event, make_order):
    paid = make_order(alice_event)
    make_order(alice_event, status=Order.Status.EXPIRED)
    response = login(alice).get(ORDERS, {"status__exact": "paid"})
    assert list(response.context["cl"].result_list) == [paid]


def test_payment_not_editable(login, alice, alice_event, make_order):
    payment = Payment.objects.get(order=make_order(alice_event))
    client = login(alice)
    client.post(f"{PAYMENTS}{payment.pk}/change/", {"amount_minor": "1", "reference": "FORGED"})
    payment.refresh_from_db()
    assert (payment.amount_minor, payment.reference) != (1, "FORGED")
    assert payment.amount_minor == 1000000


def test_payment_shows_gateway_response(login, alice, alice_event, make_order):
    payment = Payment.objects.get(order=make_order(alice_event))
    text = login(alice).get(f"{PAYMENTS}{payment.pk}/change/").content.decode()
    assert "&quot;amount&quot;: 1000000" in text


def test_flagged_payment_listed_first(login, alice, alice_event, make_order):
    make_order(alice_event)
    flagged = Payment.objects.get(order=make_order(alice_event, status=Order.Status.PAID))
    Payment.objects.filter(pk=flagged.pk).update(needs_review=True, review_reason="paid 1 minor units, the order costs 2")
    newer = Payment.objects.get(order=make_order(alice_event))
    response = login(alice).get(PAYMENTS)
    listed = list(response.context["cl"].result_list)
    assert listed[0] == flagged
    assert newer in listed
    assert "⚠ paid 1 minor units, the order costs 2" in response.content.decode()


def test_flagged_filter(login, alice, alice_event, make_order):
    make_order(alice_event)
    flagged = Payment.objects.get(order=make_order(alice_event))
    Payment.objects.filter(pk=flagged.pk).update(needs_review=True, review_reason="late success after expiry")
    response = login(alice).get(PAYMENTS, {"needs_review__exact": "1"})
    assert list(response.context["cl"].result_list) == [flagged]


def test_order_with_flagged_payment_stands_out(login, alice, alice_event, make_order):
    order = make_order(alice_event)
    Payment.objects.filter(order=order).update(needs_review=True)
    text = login(alice).get(ORDERS).content.decode()
    assert "⚠" in text


def test_refunds_listed_for_own_orders(login, alice, alice_event, bob_event, make_order):
    from payments.models import Refund

    own = make_order(alice_event)
    foreign = make_order(bob_event)
    for order in (own, foreign):
        payment = Payment.objects.get(order=order)
        Refund.objects.create(payment=payment, order=order, amount_minor=payment.amount_minor, currency="NGN")
    response = login(alice).get("/admin/payments/refund/")
    assert response.status_code == 200
    assert [refund.order for refund in response.context["cl"].result_list] == [own]


def numbered_orders(make_order, event):
    """Return two paid orders whose numbers share the prefix "ORD-6E3" but not "ORD-6E31"."""
    wanted, other = make_order(event), make_order(event)
    Order.objects.filter(pk=wanted.pk).update(number="ORD-6E31A0B1C2D3")
    Order.objects.filter(pk=other.pk).update(number="ORD-6E3F99887766")
    wanted.refresh_from_db()
    return wanted, other


@pytest.mark.parametrize("term", ["ORD-6E31", "ord-6e31", "ORD-6E31A0B1C2D3"])
def test_order_search_by_number_prefix(login, alice, alice_event, make_order, term):
    wanted, _other = numbered_orders(make_order, alice_event)
    response = login(alice).get(ORDERS, {"q": term})
    assert list(response.context["cl"].result_list) == [wanted]


def test_order_search_inner_fragment_finds_nothing(login, alice, alice_event, make_order):
    numbered_orders(make_order, alice_event)
    response = login(alice).get(ORDERS, {"q": "A0B1C2D3"})
    assert list(response.context["cl"].result_list) == []


def test_order_search_full_reference(login, alice, alice_event, make_order):
    order = make_order(alice_event)
    make_order(alice_event)
    reference = Payment.objects.get(order=order).reference
    response = login(alice).get(ORDERS, {"q": reference})
    assert list(response.context["cl"].result_list) == [order]


def test_order_search_partial_reference_finds_nothing(login, alice, alice_event, make_order):
    order = make_order(alice_event)
    reference = Payment.objects.get(order=order).reference
    response = login(alice).get(ORDERS, {"q": reference[:10]})
    assert list(response.context["cl"].result_list) == []


def test_payment_search_by_order_prefix(login, alice, alice_event, make_order):
    wanted, _other = numbered_orders(make_order, alice_event)
    response = login(alice).get(PAYMENTS, {"q": "ORD-6E31"})
    assert [payment.order for payment in response.context["cl"].result_list] == [wanted]


def test_payment_search_partial_reference_finds_nothing(login, alice, alice_event, make_order):
    reference = Payment.objects.get(order=make_order(alice_event)).reference
    response = login(alice).get(PAYMENTS, {"q": reference[:10]})
    assert list(response.context["cl"].result_list) == []


def past_hold(order):
    """Move the order's seat hold end a minute into the past, as if the buyer never paid."""
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    order.refresh_from_db()
    return order


def test_pending_past_hold_listed_expired(login, alice, alice_event, make_order):
    order = past_hold(make_order(alice_event, status=Order.Status.PENDING))
    text = login(alice).get(ORDERS).content.decode()
    assert '<td class="field-status_display">Expired (hold ended)</td>' in text
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING


def test_pending_in_hold_listed_awaiting(login, alice, alice_event, make_order):
    make_order(alice_event, status=Order.Status.PENDING)
    text = login(alice).get(ORDERS).content.decode()
    assert '<td class="field-status_display">Awaiting payment</td>' in text


def test_pending_past_hold_page_expired(login, alice, alice_event, make_order):
    order = past_hold(make_order(alice_event, status=Order.Status.PENDING))
    text = login(alice).get(f"{ORDERS}{order.pk}/change/").content.decode()
    assert '<div class="readonly">Expired (hold ended)</div>' in text


@pytest.fixture
def orders_by_state(alice_event, make_order):
    return {
        "paid": make_order(alice_event),
        "expired": make_order(alice_event, status=Order.Status.EXPIRED),
        "hold_ended": past_hold(make_order(alice_event, status=Order.Status.PENDING)),
        "awaiting": make_order(alice_event, status=Order.Status.PENDING),
    }


def filtered(client, status):
    return set(client.get(ORDERS, {"status__exact": status}).context["cl"].result_list)


def test_expired_filter_includes_hold_ended(login, alice, orders_by_state):
    assert filtered(login(alice), "expired") == {orders_by_state["expired"], orders_by_state["hold_ended"]}


def test_pending_filter_excludes_hold_ended(login, alice, orders_by_state):
    assert filtered(login(alice), "pending") == {orders_by_state["awaiting"]}


def test_unknown_status_filter_lists_nothing(login, alice, orders_by_state):
    response = login(alice).get(ORDERS, {"status__exact": "lost"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
