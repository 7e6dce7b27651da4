"""confirm_payment: the one idempotent confirmation path, checked against Paystack's verify responses."""
from datetime import timedelta

import pytest
import responses
from django.utils import timezone

from payments import services
from payments.exceptions import (
    AmountMismatch,
    GatewayUnavailable,
    PaymentDeclined,
    PaymentIncomplete,
    PaymentNeedsReview,
    PaymentNotFound,
)
from payments.models import Order, Payment
from payments.signals import order_paid
from tests.payments.conftest import BASE_URL, add_verify


@pytest.fixture
def payment(event, make_order, make_payment):
    return make_payment(make_order(event, 2))


def expire(order):
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))


def test_success_marks_paid(mock_paystack, payment):
    add_verify(mock_paystack, payment.reference, amount=1000000)
    confirmation = services.confirm_payment(payment.reference)
    payment.refresh_from_db()
    assert confirmation.order.status == Order.Status.PAID
    assert payment.status == Payment.Status.SUCCESS
    assert payment.paid_at is not None
    assert payment.gateway_response["amount"] == 1000000


def test_success_issues_ticket_per_seat(mock_paystack, payment):
    add_verify(mock_paystack, payment.reference, amount=1000000)
    confirmation = services.confirm_payment(payment.reference)
    assert len(confirmation.tickets) == 2
    assert len({ticket.code for ticket in confirmation.tickets}) == 2


def test_repeat_returns_same_tickets(mock_paystack, payment):
    add_verify(mock_paystack, payment.reference, amount=1000000)
    first = services.confirm_payment(payment.reference)
    second = services.confirm_payment(payment.reference)
    assert [ticket.pk for ticket in second.tickets] == [ticket.pk for ticket in first.tickets]
    assert len(mock_paystack.calls) == 1


def test_order_paid_sent_once(mock_paystack, payment):
    received = []

    def receiver(sender, order, **kwargs):
        received.append(order.pk)

    order_paid.connect(receiver)
    try:
        add_verify(mock_paystack, payment.reference, amount=1000000)
        for _attempt in range(3):
            services.confirm_payment(payment.reference)
    finally:
        order_paid.disconnect(receiver)
    assert received == [payment.order_id]


def test_amount_mismatch(mock_paystack, payment):
    add_verify(mock_paystack, payment.reference, amount=100)
    with pytest.raises(AmountMismatch):
        services.confirm_payment(payment.reference)
    payment.refresh_from_db()
    assert payment.order.status == Order.Status.PENDING
    assert payment.needs_review
    assert "100" in payment.review_reason
    assert services.order_tickets(payment.order) == []


def test_currency_mismatch(mock_paystack, payment):
    add_verify(mock_paystack, payment.reference, amount=1000000, currency="USD")
    with pytest.raises(AmountMismatch):
        services.confirm_payment(payment.reference)
    payment.refresh_from_db()
    assert payment.order.status == Order.Status.PENDING
    assert "USD" in payment.review_reason


def test_reference_mismatch(mock_paystack, payment):
    mock_paystack.add(responses.GET, f"{BASE_URL}/transaction/verify/{payment.reference}", json={
        "status": True, "message": "Verification successful",
        "data": {"status": "success", "reference": "TKT-someone-else", "amount": 1000000, "currency": "NGN"},
    })
    with pytest.raises(AmountMismatch):
        services.confirm_payment(payment.reference)


def test_test_mode_payment_for_live_key(mock_paystack, payment, settings):
    settings.PAYSTACK_SECRET_KEY = "sk_live_0123456789"
    add_verify(mock_paystack, payment.reference, amount=1000000, domain="test")
    with pytest.raises(AmountMismatch):
        services.confirm_payment(payment.reference)


def test_mismatch_repeats_same_error(mock_paystack, payment):
    add_verify(mock_paystack, payment.reference, amount=100)
    for _attempt in range(2):
        with pytest.raises(AmountMismatch):
            services.confirm_payment(payment.reference)


def test_failed_keeps_order_pending(mock_paystack, payment):
    add_verify(mock_paystack, payment.reference, status="failed", message="Declined by bank", amount=1000000)
    with pytest.raises(PaymentDeclined) as raised:
        services.confirm_payment(payment.reference)
    assert "Declined by bank" in str(raised.value.message)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert payment.order.status == Order.Status.PENDING
    assert payment.order.failure_reason == "Declined by bank"


def test_abandoned_recorded(mock_paystack, payment):
    add_verify(mock_paystack, payment.reference, status="abandoned", message="The customer left", amount=1000000)
    with pytest.raises(PaymentDeclined):
        services.confirm_payment(payment.reference)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.ABANDONED


def test_retry_after_decline_succeeds(mock_paystack, payment, make_payment):
    add_verify(mock_paystack, payment.reference, status="failed", message="Declined", amount=1000000)
    with pytest.raises(PaymentDeclined):
        services.confirm_payment(payment.reference)
    second = make_payment(payment.order)
    add_verify(mock_paystack, second.reference, amount=1000000)
    assert services.confirm_payment(second.reference).order.status == Order.Status.PAID


def test_ongoing_is_incomplete(mock_paystack, payment):
    add_verify(mock_paystack, payment.reference, status="ongoing", amount=1000000)
    with pytest.raises(PaymentIncomplete):
        services.confirm_payment(payment.reference)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.INITIALIZED


def test_unknown_at_gateway_is_incomplete(mock_paystack, payment):
    mock_paystack.add(responses.GET, f"{BASE_URL}/transaction/verify/{payment.reference}", status=400,
                      json={"status": False, "message": "Transaction reference not found"})
    with pytest.raises(PaymentIncomplete):
        services.confirm_payment(payment.reference)


def test_outage_changes_nothing(mock_paystack, payment):
    mock_paystack.add(responses.GET, f"{BASE_URL}/transaction/verify/{payment.reference}", status=502,
                      json={"status": False, "message": "Bad gateway"})
    with pytest.raises(GatewayUnavailable):
        services.confirm_payment(payment.reference)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.INITIALIZED
    assert payment.verified_at is None
    assert payment.order.status == Order.Status.PENDING


def test_other_buyers_reference_not_found(mock_paystack, payment, make_user):
    with pytest.raises(PaymentNotFound):
        services.confirm_payment(payment.reference, buyer=make_user("stranger"))
    assert len(mock_paystack.calls) == 0


def test_unknown_reference_not_found(db):
    with pytest.raises(PaymentNotFound):
        services.confirm_payment("TKT-does-not-exist")


def test_late_success_with_free_seats(mock_paystack, payment):
    expire(payment.order)
    add_verify(mock_paystack, payment.reference, amount=1000000)
    assert services.confirm_payment(payment.reference).order.status == Order.Status.PAID


def test_late_success_after_seats_sold(mock_paystack, make_event, make_order, make_payment, make_user):
    event = make_event(types=(("General admission", "5000.00", 2),))
    late = make_payment(make_order(event, 2))
    expire(late.order)
    make_order(event, 2, buyer=make_user("quicker"))
    add_verify(mock_paystack, late.reference, amount=1000000)
    with pytest.raises(PaymentNeedsReview):
        services.confirm_payment(late.reference)
    late.refresh_from_db()
    assert late.status == Payment.Status.SUCCESS
    assert late.needs_review
    assert "sold" in late.review_reason
    assert late.order.status == Order.Status.PENDING
    assert services.order_tickets(late.order) == []


def test_late_success_repeat_same_result(mock_paystack, make_event, make_order, make_payment, make_user):
    event = make_event(types=(("General admission", "5000.00", 1),))
    late = make_payment(make_order(event, 1))
    Order.objects.filter(pk=late.order_id).update(status=Order.Status.EXPIRED)
    make_order(event, 1, buyer=make_user("quicker"))
    add_verify(mock_paystack, late.reference)
    for _attempt in range(2):
        with pytest.raises(PaymentNeedsReview):
            services.confirm_payment(late.reference)
    assert len(mock_paystack.calls) == 1


@pytest.mark.parametrize("status", [Order.Status.CANCELLED, Order.Status.REFUNDED, Order.Status.FAILED])
def test_closed_order_not_revived(mock_paystack, payment, status):
    Order.objects.filter(pk=payment.order_id).update(status=status)
    add_verify(mock_paystack, payment.reference, amount=1000000)
    with pytest.raises(PaymentNeedsReview):
        services.confirm_payment(payment.reference)
    payment.refresh_from_db()
    assert payment.order.status == status
    assert payment.needs_review
    assert services.order_tickets(payment.order) == []


def test_second_payment_of_paid_order_flagged(mock_paystack, payment, make_payment):
    second = make_payment(payment.order)
    add_verify(mock_paystack, payment.reference, amount=1000000)
    add_verify(mock_paystack, second.reference, amount=1000000)
    services.confirm_payment(payment.reference)
    with pytest.raises(PaymentNeedsReview):
        services.confirm_payment(second.reference)
    second.refresh_from_db()
    assert second.needs_review
    assert len(services.order_tickets(payment.order)) == 2
