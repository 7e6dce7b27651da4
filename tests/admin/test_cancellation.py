"""Cancelling orders and events: tickets void, seats free, refunds through Paystack, buyers emailed."""
import json

import pytest
import requests
import responses
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.management import call_command

from events.models import Event
from events.sales_selectors import events_with_sales
from payments import cancellation
from payments.exceptions import PaymentNeedsReview
from payments.gateways.base import Verification
from payments.models import Order, Payment, Refund
from payments.services import confirm_payment
from tests.admin.conftest import REFUND_URL, add_refund_ok
from tickets.models import Ticket

# Real commits, because refunds go to the gateway only outside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)

def payment_of(order):
    return Payment.objects.get(order=order)


def test_cancel_paid_order_refunds(paystack_mock, alice_event, make_order):
    order = make_order(alice_event, quantity=2)
    payment = payment_of(order)
    add_refund_ok(paystack_mock, payment.reference, 1000000)

    result = cancellation.cancel_order(order)

    order.refresh_from_db()
    assert result.cancelled
    assert order.status == Order.Status.REFUNDED
    [refund] = result.refunds
    assert refund.status == Refund.Status.SENT
    assert refund.amount_minor == 1000000
    sent = json.loads(paystack_mock.calls[0].request.body)
    assert sent == {"transaction": payment.reference, "amount": 1000000}


def test_refund_keeps_gateway_answer(paystack_mock, alice_event, make_order):
    order = make_order(alice_event)
    add_refund_ok(paystack_mock, payment_of(order).reference, 1000000)
    [refund] = cancellation.cancel_order(order).refunds
    assert refund.gateway_response["status"] == "pending"
    assert refund.sent_at is not None


def test_cancel_voids_tickets(paystack_mock, alice_event, make_order):
    order = make_order(alice_event, quantity=2)
    add_refund_ok(paystack_mock, payment_of(order).reference, 1000000)
    cancellation.cancel_order(order)
    statuses = set(Ticket.objects.filter(order_line__order=order).values_list("status", flat=True))
    assert statuses == {Ticket.Status.VOID}


def test_cancel_frees_seats(paystack_mock, alice_event, make_order):
    order = make_order(alice_event, quantity=2)
    add_refund_ok(paystack_mock, payment_of(order).reference, 1000000)
    cancellation.cancel_order(order)
    event = events_with_sales(Event.objects.filter(pk=alice_event.pk)).get()
    assert (event.sold_count, event.revenue_minor) == (0, 0)


def test_cancel_emails_buyer(paystack_mock, alice_event, make_order):
    order = make_order(alice_event, quantity=2)
    add_refund_ok(paystack_mock, payment_of(order).reference, 1000000)
    mail.outbox.clear()
    cancellation.cancel_order(order)
    [message] = [message for message in mail.outbox if "cancelled" in message.subject]
    assert message.to == [order.email]
    assert order.number in message.body
    assert "₦10,000.00" in message.body


def test_cancel_pending_order_no_refund(paystack_mock, alice_event, make_order):
    order = make_order(alice_event, status=Order.Status.PENDING)
    result = cancellation.cancel_order(order)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert result.refunds == []
    assert len(paystack_mock.calls) == 0


def test_cancel_twice_refunds_once(paystack_mock, alice_event, make_order):
    order = make_order(alice_event)
    add_refund_ok(paystack_mock, payment_of(order).reference, 1000000)
    cancellation.cancel_order(order)
    second = cancellation.cancel_order(order)
    assert not second.cancelled
    assert Refund.objects.filter(order=order).count() == 1
    assert len(paystack_mock.calls) == 1


def test_gateway_down_leaves_refund_pending(paystack_mock, alice_event, make_order):
    order = make_order(alice_event)
    paystack_mock.add(responses.POST, REFUND_URL, body=requests.ConnectionError("connection refused"))
    [refund] = cancellation.cancel_order(order).refunds
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert refund.status == Refund.Status.PENDING
    assert refund.attempts == 1
    assert "unavailable" in refund.last_error


def test_gateway_error_5xx_leaves_refund_pending(paystack_mock, alice_event, make_order):
    order = make_order(alice_event)
    paystack_mock.add(responses.POST, REFUND_URL, status=502, body="Bad Gateway")
    [refund] = cancellation.cancel_order(order).refunds
    assert refund.status == Refund.Status.PENDING


def test_open_circuit_sends_nothing(paystack_mock, alice_event, make_order):
    paystack_mock.add(responses.POST, REFUND_URL, status=500, json={"status": False, "message": "down"})
    for _attempt in range(3):
        cancellation.cancel_order(make_order(alice_event))
    calls_before = len(paystack_mock.calls)
    [refund] = cancellation.cancel_order(make_order(alice_event)).refunds
    assert len(paystack_mock.calls) == calls_before
    assert refund.status == Refund.Status.PENDING


def test_rejected_refund_marked_failed(paystack_mock, alice_event, make_order):
    order = make_order(alice_event)
    paystack_mock.add(responses.POST, REFUND_URL, status=400, json={
        "status": False, "message": "Transaction has been fully reversed", "type": "validation_error",
    })
    [refund] = cancellation.cancel_order(order).refunds
    assert refund.status == Refund.Status.FAILED


def test_retry_sends_pending_refund(paystack_mock, alice_event, make_order):
    order = make_order(alice_event)
    reference = payment_of(order).reference
    paystack_mock.add(responses.POST, REFUND_URL, body=requests.ConnectionError("connection refused"))
    cancellation.cancel_order(order)
    paystack_mock.replace(responses.POST, REFUND_URL, json={
        "status": True, "message": "Refund has been queued for processing",
        "data": {"transaction": {"reference": reference}, "status": "pending", "amount": 1000000},
    })
    counts = cancellation.retry_pending_refunds()
    refund = Refund.objects.get(order=order)
    assert counts["sent"] == 1
    assert refund.status == Refund.Status.SENT
    assert refund.attempts == 2


def test_retry_command_reports(paystack_mock, alice_event, make_order, capsys):
    order = make_order(alice_event)
    paystack_mock.add(responses.POST, REFUND_URL, body=requests.ConnectionError("connection refused"))
    cancellation.cancel_order(order)
    call_command("retry_refunds")
    assert "still pending: 1" in capsys.readouterr().out
    assert Refund.objects.get(order=order).status == Refund.Status.PENDING


def test_reconcile_command_sends_pending_refunds(paystack_mock, alice_event, make_order, capsys):
    order = make_order(alice_event)
    paystack_mock.add(responses.POST, REFUND_URL, body=requests.ConnectionError("connection refused"))
    cancellation.cancel_order(order)
    assert Refund.objects.get(order=order).status == Refund.Status.PENDING

    add_refund_ok(paystack_mock, payment_of(order).reference, 1000000)
    call_command("reconcile_payments")
    assert "Refunds: 1 sent" in capsys.readouterr().out
    assert Refund.objects.get(order=order).status == Refund.Status.SENT


def test_retry_cancels_leftover_orders(paystack_mock, alice_event, make_order):
    Event.objects.filter(pk=alice_event.pk).update(status=Event.Status.CANCELLED)
    order = make_order(alice_event)
    add_refund_ok(paystack_mock, payment_of(order).reference, 1000000)
    counts = cancellation.retry_pending_refunds()
    order.refresh_from_db()
    assert counts["orders_cancelled"] == 1
    assert order.status == Order.Status.REFUNDED
    assert Refund.objects.get(order=order).status == Refund.Status.SENT


def test_cancel_event_cancels_orders(paystack_mock, alice_event, make_order):
    paid = make_order(alice_event)
    pending = make_order(alice_event, status=Order.Status.PENDING)
    add_refund_ok(paystack_mock, payment_of(paid).reference, 1000000)
    result = cancellation.cancel_event(alice_event)
    alice_event.refresh_from_db()
    paid.refresh_from_db()
    pending.refresh_from_db()
    assert alice_event.status == Event.Status.CANCELLED
    assert (paid.status, pending.status) == (Order.Status.REFUNDED, Order.Status.CANCELLED)
    assert len(result.orders) == 2
    assert result.refunds_pending == 0


def test_cancel_event_spares_other_events(paystack_mock, alice_event, bob_event, make_order):
    other = make_order(bob_event)
    cancellation.cancel_event(alice_event)
    other.refresh_from_db()
    assert other.status == Order.Status.PAID


def test_cancel_event_stops_calling_when_down(paystack_mock, alice_event, make_order):
    orders = [make_order(alice_event) for _index in range(3)]
    paystack_mock.add(responses.POST, REFUND_URL, body=requests.ConnectionError("connection refused"))
    result = cancellation.cancel_event(alice_event)
    assert len(paystack_mock.calls) == 1
    assert result.refunds_pending == 3
    assert {order.status for order in Order.objects.filter(pk__in=[o.pk for o in orders])} == {Order.Status.REFUNDED}


def test_late_success_keeps_cancelled_order(paystack_mock, alice_event, make_order):
    order = make_order(alice_event, status=Order.Status.PENDING)
    payment = Payment.objects.create(order=order, amount_minor=order.total_minor, currency=order.currency)
    cancellation.cancel_order(order)
    late = Verification(reference=payment.reference, status="success", amount_minor=order.total_minor,
                        currency="NGN", domain="test")
    with pytest.raises(PaymentNeedsReview):
        confirm_payment(payment.reference, verification=late)
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert payment.needs_review
    assert not Ticket.objects.filter(order_line__order=order).exists()


def test_late_success_keeps_refunded_order(paystack_mock, alice_event, make_order):
    order = make_order(alice_event)
    add_refund_ok(paystack_mock, payment_of(order).reference, 1000000)
    cancellation.cancel_order(order)
    retry = Payment.objects.create(order=order, amount_minor=order.total_minor, currency=order.currency)
    late = Verification(reference=retry.reference, status="success", amount_minor=order.total_minor,
                        currency="NGN", domain="test")
    with pytest.raises(PaymentNeedsReview):
        confirm_payment(retry.reference, verification=late)
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED


def test_refund_webhook_outcome(paystack_mock, alice_event, make_order):
    order = make_order(alice_event)
    reference = payment_of(order).reference
    add_refund_ok(paystack_mock, reference, 1000000)
    cancellation.cancel_order(order)
    refund = cancellation.record_refund_outcome(transaction_reference=reference, status="processed")
    assert refund.status == Refund.Status.PROCESSED
    cancellation.record_refund_outcome(transaction_reference=reference, status="failed")
    refund.refresh_from_db()
    assert refund.status == Refund.Status.PROCESSED


def test_admin_cancel_asks_first(paystack_mock, login, alice, alice_event, make_order):
    order = make_order(alice_event)
    response = login(alice).post("/admin/payments/order/", {"action": "cancel_orders", "_selected_action": [order.pk]})
    assert response.status_code == 200
    assert "Yes, cancel and refund" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_admin_cancel_order(paystack_mock, login, alice, alice_event, make_order):
    order = make_order(alice_event)
    add_refund_ok(paystack_mock, payment_of(order).reference, 1000000)
    response = login(alice).post("/admin/payments/order/", {
        "action": "cancel_orders", "_selected_action": [order.pk], "confirmed": "yes",
    }, follow=True)
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert "1 order cancelled, 1 refunds requested." in response.content.decode()
    assert LogEntry.objects.filter(object_id=str(order.pk), user=alice).exists()


def test_admin_cancel_event_gateway_down(paystack_mock, login, alice, alice_event, make_order):
    order = make_order(alice_event)
    paystack_mock.add(responses.POST, REFUND_URL, body=requests.ConnectionError("connection refused"))
    response = login(alice).post("/admin/events/event/", {
        "action": "cancel_events", "_selected_action": [alice_event.pk], "confirmed": "yes",
    }, follow=True)
    alice_event.refresh_from_db()
    order.refresh_from_db()
    assert alice_event.status == Event.Status.CANCELLED
    assert order.status == Order.Status.REFUNDED
    assert "stays pending and is retried automatically" in response.content.decode()
    assert LogEntry.objects.filter(object_id=str(alice_event.pk), content_type__model="event").exists()


def test_admin_cancel_from_change_page(paystack_mock, login, alice, alice_event, make_order):
    """The change page runs actions inside a transaction: the refund goes out after it commits."""
    order = make_order(alice_event)
    add_refund_ok(paystack_mock, payment_of(order).reference, 1000000)
    response = login(alice).post(f"/admin/payments/order/{order.pk}/change/", {
        "CHANGE_FORM-action": "cancel_orders", "_selected_action": [order.pk], "confirmed": "yes",
    })
    assert response.status_code == 302
    assert Refund.objects.get(order=order).status == Refund.Status.SENT


def test_admin_retry_refund_action(paystack_mock, login, alice, alice_event, make_order):
    order = make_order(alice_event)
    reference = payment_of(order).reference
    paystack_mock.add(responses.POST, REFUND_URL, body=requests.ConnectionError("connection refused"))
    [refund] = cancellation.cancel_order(order).refunds
    paystack_mock.replace(responses.POST, REFUND_URL, json={
        "status": True, "message": "Refund has been queued for processing",
        "data": {"transaction": {"reference": reference}, "status": "pending", "amount": 1000000},
    })
    login(alice).post("/admin/payments/refund/", {"action": "retry_refunds", "_selected_action": [refund.pk]})
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SENT
    assert LogEntry.objects.filter(object_id=str(refund.pk), content_type__model="refund").exists()
