"""Paystack's webhook: the signature guards everything, and repeats change nothing."""
import json

import pytest
import responses

from payments import services
from payments.models import Order, Payment
from tests.payments.conftest import BASE_URL, add_verify, sign, webhook_body

URL = "/api/payments/webhook/"


@pytest.fixture
def payment(event, make_order, make_payment, mock_paystack):
    return make_payment(make_order(event, 2))


@pytest.fixture
def paystack_confirms(payment, mock_paystack):
    """Make Paystack's verify call report the payment as paid in full."""
    add_verify(mock_paystack, payment.reference, amount=1000000)
    return mock_paystack


def post(client, body: bytes, signature=None, path=URL):
    headers = {} if signature is None else {"HTTP_X_PAYSTACK_SIGNATURE": signature}
    return client.post(path, data=body, content_type="application/json", **headers)


def assert_unchanged(payment):
    payment.refresh_from_db()
    assert payment.status == Payment.Status.INITIALIZED
    assert payment.order.status == Order.Status.PENDING
    assert services.order_tickets(payment.order) == []


def test_valid_signature_confirms(client, payment, paystack_confirms):
    body = webhook_body(payment.reference, amount=1000000)
    response = post(client, body, sign(body))
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.order.status == Order.Status.PAID
    assert len(services.order_tickets(payment.order)) == 2
    assert len(paystack_confirms.calls) == 1


def test_verify_decides_over_body(client, payment, mock_paystack):
    """The webhook only triggers confirmation: Paystack's verify answer is what counts."""
    add_verify(mock_paystack, payment.reference, status="failed", amount=1000000, message="Declined")
    body = webhook_body(payment.reference, amount=1000000)
    assert post(client, body, sign(body)).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert payment.order.status == Order.Status.PENDING
    assert services.order_tickets(payment.order) == []


def test_outage_confirms_from_signed_body(client, payment, mock_paystack):
    url = f"{BASE_URL}/transaction/verify/{payment.reference}"
    mock_paystack.add(responses.GET, url, status=502, body="<html>Bad gateway</html>")
    body = webhook_body(payment.reference, amount=1000000)
    assert post(client, body, sign(body)).status_code == 200
    payment.refresh_from_db()
    assert payment.order.status == Order.Status.PAID
    assert len(services.order_tickets(payment.order)) == 2


def test_without_trailing_slash(client, payment, paystack_confirms):
    body = webhook_body(payment.reference, amount=1000000)
    assert post(client, body, sign(body), path=URL.rstrip("/")).status_code == 200


def test_missing_signature(client, payment):
    response = post(client, webhook_body(payment.reference, amount=1000000))
    assert response.status_code == 401
    assert_unchanged(payment)


def test_wrong_signature(client, payment):
    body = webhook_body(payment.reference, amount=1000000)
    assert post(client, body, sign(body, key="sk_test_wrong")).status_code == 401
    assert_unchanged(payment)


def test_non_ascii_signature_rejected(client, payment):
    body = webhook_body(payment.reference, amount=1000000)
    assert post(client, body, sign(body)[:-1] + "é").status_code == 401
    assert_unchanged(payment)


def test_body_changed_after_signing(client, payment):
    body = webhook_body(payment.reference, amount=100)
    signature = sign(body)
    tampered = body.replace(b'"amount": 100,', b'"amount": 1000000,')
    assert tampered != body
    assert post(client, tampered, signature).status_code == 401
    assert_unchanged(payment)


def test_unusual_whitespace_and_non_ascii(client, payment, paystack_confirms):
    data = json.loads(webhook_body(payment.reference, amount=1000000))
    data["data"]["customer"] = {"email": "buyer@example.com", "first_name": "Adé", "last_name": "Ọlábísí ✓"}
    # Paystack signs the bytes it sends: odd spacing and raw UTF-8 must be hashed as they are.
    body = json.dumps(data, indent="\t", ensure_ascii=False, separators=(" ,  ", " :\n ")).encode("utf-8")
    body = b"\n  " + body + b"  \r\n"
    assert post(client, body, sign(body)).status_code == 200
    payment.refresh_from_db()
    assert payment.order.status == Order.Status.PAID


def test_same_webhook_three_times(client, payment, paystack_confirms):
    body = webhook_body(payment.reference, amount=1000000)
    statuses = [post(client, body, sign(body)).status_code for _attempt in range(3)]
    assert statuses == [200, 200, 200]
    assert len(services.order_tickets(payment.order)) == 2
    assert len(paystack_confirms.calls) == 1


def test_unknown_event_ignored(client, payment):
    body = json.dumps({"event": "transfer.success", "data": {"reference": payment.reference}}).encode()
    response = post(client, body, sign(body))
    assert response.status_code == 200
    assert response.json()["status"] == "ignored"
    assert_unchanged(payment)


def test_unknown_reference_ignored(client, payment):
    body = webhook_body("TKT-from-another-shop", amount=1000000)
    response = post(client, body, sign(body))
    assert response.status_code == 200
    assert_unchanged(payment)


def test_signed_non_json_rejected(client, payment):
    body = b"not json at all"
    assert post(client, body, sign(body)).status_code == 400


def test_amount_mismatch_recorded(client, payment, mock_paystack):
    add_verify(mock_paystack, payment.reference, amount=100)
    body = webhook_body(payment.reference, amount=100)
    assert post(client, body, sign(body)).status_code == 200
    payment.refresh_from_db()
    assert payment.needs_review
    assert payment.order.status == Order.Status.PENDING


def test_no_key_rejects_everything(client, payment, settings):
    settings.PAYSTACK_SECRET_KEY = ""
    body = webhook_body(payment.reference, amount=1000000)
    assert post(client, body, sign(body, key="")).status_code == 401
    assert_unchanged(payment)


def test_get_not_allowed(client, db):
    assert client.get(URL).status_code == 405


def test_refund_processed_recorded(client, payment, make_order):
    from payments.models import Refund

    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.SUCCESS)
    refund = Refund.objects.create(payment=payment, order=payment.order, amount_minor=1000000, currency="NGN",
                                   status=Refund.Status.SENT)
    body = json.dumps({"event": "refund.processed", "data": {
        "status": "processed", "transaction_reference": payment.reference, "refund_reference": "RF-1",
        "amount": "1000000", "currency": "NGN"}}).encode()
    response = post(client, body, sign(body))
    assert response.status_code == 200
    refund.refresh_from_db()
    assert refund.status == Refund.Status.PROCESSED


def test_refund_for_unknown_payment_ignored(client, payment):
    body = json.dumps({"event": "refund.failed", "data": {"status": "failed",
                                                          "transaction_reference": "TKT-elsewhere"}}).encode()
    response = post(client, body, sign(body))
    assert response.status_code == 200
    assert response.json()["status"] == "ignored"
