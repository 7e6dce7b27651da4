"""reconcile_payments settles payments left pending, for example by an outage during verification."""
from datetime import timedelta
from io import StringIO

import pytest
import responses
from django.core.management import CommandError, call_command
from django.utils import timezone

from payments import services
from payments.models import Order, Payment
from payments.services.payments import ABANDONED_RECHECK_HOURS
from tests.payments.conftest import BASE_URL, add_verify


@pytest.fixture
def stale(event, make_order, make_payment):
    payment = make_payment(make_order(event, 1))
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(minutes=20))
    return payment


def run(*args):
    out = StringIO()
    call_command("reconcile_payments", *args, stdout=out)
    return out.getvalue()


def test_settles_stale_success(mock_paystack, stale):
    add_verify(mock_paystack, stale.reference)
    output = run("--older-than", "10")
    stale.refresh_from_db()
    assert stale.status == Payment.Status.SUCCESS
    assert stale.order.status == Order.Status.PAID
    assert "1 paid" in output


def test_skips_recent_payments(mock_paystack, event, make_order, make_payment):
    make_payment(make_order(event, 1))
    run("--older-than", "10")
    assert len(mock_paystack.calls) == 0


def test_records_declines(mock_paystack, stale):
    add_verify(mock_paystack, stale.reference, status="failed", message="Declined")
    assert "1 declined" in run()
    stale.refresh_from_db()
    assert stale.status == Payment.Status.FAILED


def test_abandons_after_hold(mock_paystack, stale):
    Order.objects.filter(pk=stale.order_id).update(expires_at=timezone.now() - timedelta(minutes=1))
    mock_paystack.add(responses.GET, f"{BASE_URL}/transaction/verify/{stale.reference}", status=400,
                      json={"status": False, "message": "Transaction reference not found"})
    run()
    stale.refresh_from_db()
    assert stale.status == Payment.Status.ABANDONED
    assert stale.order.status == Order.Status.EXPIRED


def test_stops_during_outage(mock_paystack, stale):
    mock_paystack.add(responses.GET, f"{BASE_URL}/transaction/verify/{stale.reference}", status=500,
                      json={"status": False, "message": "down"})
    with pytest.raises(CommandError, match="Payments are unavailable"):
        run()
    stale.refresh_from_db()
    assert stale.status == Payment.Status.INITIALIZED


def test_negative_minutes_rejected(db):
    with pytest.raises(CommandError):
        run("--older-than", "-1")


@pytest.fixture
def abandoned(stale):
    """A payment an early verify marked abandoned, 20 minutes after it started."""
    Payment.objects.filter(pk=stale.pk).update(status=Payment.Status.ABANDONED)
    return stale


def test_abandoned_late_success_paid(mock_paystack, abandoned):
    add_verify(mock_paystack, abandoned.reference, amount=abandoned.amount_minor)
    output = run()
    abandoned.refresh_from_db()
    assert abandoned.status == Payment.Status.SUCCESS
    assert abandoned.order.status == Order.Status.PAID
    assert len(services.order_tickets(abandoned.order)) == 1
    assert "1 abandoned ones again" in output
    assert "1 paid" in output


def test_abandoned_after_hold_late_success_paid(mock_paystack, abandoned):
    Order.objects.filter(pk=abandoned.order_id).update(
        status=Order.Status.EXPIRED, expires_at=timezone.now() - timedelta(minutes=5),
    )
    add_verify(mock_paystack, abandoned.reference, amount=abandoned.amount_minor)
    run()
    abandoned.refresh_from_db()
    assert abandoned.status == Payment.Status.SUCCESS
    assert not abandoned.needs_review
    assert abandoned.order.status == Order.Status.PAID
    assert len(services.order_tickets(abandoned.order)) == 1


def test_abandoned_still_abandoned(mock_paystack, abandoned):
    add_verify(mock_paystack, abandoned.reference, status="abandoned", message="The transaction was not completed")
    run()
    abandoned.refresh_from_db()
    assert abandoned.status == Payment.Status.ABANDONED
    assert abandoned.order.status == Order.Status.PENDING
    assert len(mock_paystack.calls) == 1


def test_abandoned_older_than_window_skipped(mock_paystack, abandoned):
    started = timezone.now() - timedelta(hours=ABANDONED_RECHECK_HOURS, minutes=1)
    Payment.objects.filter(pk=abandoned.pk).update(created_at=started)
    run()
    assert len(mock_paystack.calls) == 0
    abandoned.refresh_from_db()
    assert abandoned.status == Payment.Status.ABANDONED


def test_abandoned_recent_skipped(mock_paystack, abandoned):
    Payment.objects.filter(pk=abandoned.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    run("--older-than", "10")
    assert len(mock_paystack.calls) == 0


@pytest.mark.parametrize("status", [Order.Status.PAID, Order.Status.CANCELLED, Order.Status.REFUNDED])
def test_abandoned_of_settled_order_skipped(mock_paystack, abandoned, status):
    Order.objects.filter(pk=abandoned.order_id).update(status=status)
    run()
    assert len(mock_paystack.calls) == 0


def test_failed_not_rechecked(mock_paystack, stale):
    Payment.objects.filter(pk=stale.pk).update(status=Payment.Status.FAILED)
    run()
    assert len(mock_paystack.calls) == 0
