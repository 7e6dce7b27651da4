"""reconcile_payments settles payments left pending, for example by an outage during verification."""
from datetime import timedelta
from io import StringIO

import pytest
import responses
from django.core.management import CommandError, call_command
from django.utils import timezone

from payments.models import Order, Payment
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
