"""The Paystack client: request shape, responses in Paystack's real shapes, and failure translation."""
import json

import pytest
import requests
import responses
from django.core.cache import cache

from payments import services
from payments.exceptions import GatewayError, GatewayUnavailable, TransactionNotFound
from payments.gateways import paystack
from payments.gateways.base import parse_verification
from payments.gateways.sandbox import SandboxGateway
from tests.payments.conftest import BASE_URL, SECRET_KEY, add_initialize, add_verify, init_body, sign

INIT_URL = f"{BASE_URL}/transaction/initialize"


def initialize(reference="TKT-test-1", amount_minor=500000):
    return paystack.get_gateway().initialize(
        reference=reference, email="buyer@example.com", amount_minor=amount_minor, currency="NGN",
        callback_url="http://127.0.0.1:8000/payments/callback/", metadata={"order": "ORD-1"},
    )


def test_get_gateway_without_key_is_sandbox(settings):
    settings.PAYSTACK_SECRET_KEY = ""
    assert isinstance(paystack.get_gateway(), SandboxGateway)


def test_get_gateway_with_key_is_paystack(live_key):
    gateway = paystack.get_gateway()
    assert isinstance(gateway, paystack.PaystackGateway)
    assert gateway.is_sandbox is False


def test_initialize_request_shape(mock_paystack):
    add_initialize(mock_paystack, json=init_body("TKT-test-1"))
    authorization = initialize()
    request = mock_paystack.calls[0].request
    assert request.headers["Authorization"] == f"Bearer {SECRET_KEY}"
    sent = json.loads(request.body)
    assert sent["amount"] == 500000
    assert sent["currency"] == "NGN"
    assert sent["reference"] == "TKT-test-1"
    assert sent["callback_url"] == "http://127.0.0.1:8000/payments/callback/"
    assert sent["metadata"] == {"order": "ORD-1"}
    assert authorization.authorization_url == "https://checkout.paystack.com/abc123"


def test_every_call_has_timeouts(mock_paystack, settings):
    settings.PAYSTACK_CONNECT_TIMEOUT = 2.5
    settings.PAYSTACK_READ_TIMEOUT = 7.0
    add_initialize(mock_paystack, json=init_body("TKT-test-1"))
    initialize()
    assert mock_paystack.calls[0].request.req_kwargs["timeout"] == (2.5, 7.0)


def test_verify_success(mock_paystack):
    add_verify(mock_paystack, "TKT-ok")
    verification = paystack.get_gateway().verify("TKT-ok")
    assert verification.succeeded
    assert verification.amount_minor == 500000
    assert verification.currency == "NGN"
    assert verification.message == "Successful"
    assert "customer" not in verification.audit


@pytest.mark.parametrize("status", ["failed", "abandoned", "reversed"])
def test_verify_declined_statuses(mock_paystack, status):
    add_verify(mock_paystack, "TKT-no", status=status, message="Declined")
    verification = paystack.get_gateway().verify("TKT-no")
    assert verification.declined
    assert not verification.succeeded


@pytest.mark.parametrize("metadata", ["", 0, None, "text", [1, 2]])
def test_verify_odd_metadata(mock_paystack, metadata):
    add_verify(mock_paystack, "TKT-meta", metadata=metadata)
    assert paystack.get_gateway().verify("TKT-meta").succeeded


def test_requested_amount_preferred():
    verification = parse_verification({"reference": "R", "status": "success", "amount": 507500,
                                       "requested_amount": 500000, "currency": "ngn"})
    assert verification.amount_minor == 500000
    assert verification.currency == "NGN"


def test_missing_amount_is_none():
    assert parse_verification({"amount": "500000"}).amount_minor is None
    assert parse_verification("not an object").amount_minor is None


@pytest.mark.parametrize("status_code, message", [(400, "Transaction reference not found"),
                                                  (404, "Transaction reference not found.")])
def test_verify_unknown_reference(mock_paystack, status_code, message):
    mock_paystack.add(responses.GET, f"{BASE_URL}/transaction/verify/TKT-x", status=status_code,
                      json={"status": False, "message": message})
    with pytest.raises(TransactionNotFound):
        paystack.get_gateway().verify("TKT-x")


def test_duplicate_reference_is_gateway_error(mock_paystack):
    add_initialize(mock_paystack, status=400, json={
        "status": False, "message": "Duplicate Transaction Reference", "type": "validation_error",
        "code": "duplicate_reference",
    })
    with pytest.raises(GatewayError):
        initialize()


def test_bad_key_is_gateway_error(mock_paystack):
    add_initialize(mock_paystack, status=401, json={"status": False, "message": "Invalid key"})
    with pytest.raises(GatewayError) as raised:
        initialize()
    assert not isinstance(raised.value, GatewayUnavailable)


def test_server_error_is_unavailable(mock_paystack):
    add_initialize(mock_paystack, status=500, json={"status": False, "message": "Server error"})
    with pytest.raises(GatewayUnavailable):
        initialize()


def test_timeout_is_unavailable(mock_paystack):
    add_initialize(mock_paystack, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(GatewayUnavailable) as raised:
        initialize()
    assert raised.value.retry_after >= 1


def test_connection_error_is_unavailable(mock_paystack):
    add_initialize(mock_paystack, body=requests.exceptions.ConnectionError("refused"))
    with pytest.raises(GatewayUnavailable):
        initialize()


def test_html_body_is_unavailable(mock_paystack):
    add_initialize(mock_paystack, status=200, body="<html><body>Bad gateway</body></html>",
                   content_type="text/html")
    with pytest.raises(GatewayUnavailable):
        initialize()


def test_rate_limit_uses_retry_after(mock_paystack):
    add_initialize(mock_paystack, status=429, json={"status": False, "message": "Too many requests"},
                   headers={"Retry-After": "42"})
    with pytest.raises(GatewayUnavailable) as raised:
        initialize()
    assert raised.value.retry_after == 42


def test_refund_request_shape(mock_paystack):
    mock_paystack.add(responses.POST, f"{BASE_URL}/refund", json={
        "status": True, "message": "Refund has been queued for processing",
        "data": {"transaction": {"reference": "TKT-r"}, "amount": 250000, "currency": "NGN", "status": "pending"},
    })
    refund = paystack.refund("TKT-r", 250000)
    assert json.loads(mock_paystack.calls[0].request.body) == {"transaction": "TKT-r", "amount": 250000}
    assert refund.status == "pending"
    assert refund.amount_minor == 250000


def test_refund_full_amount_omits_amount(mock_paystack):
    mock_paystack.add(responses.POST, f"{BASE_URL}/refund",
                      json={"status": True, "message": "queued", "data": {"status": "pending", "amount": "500000"}})
    refund = paystack.refund("TKT-r")
    assert json.loads(mock_paystack.calls[0].request.body) == {"transaction": "TKT-r"}
    assert refund.amount_minor == 500000


def test_signature_valid():
    body = b'{"event": "charge.success"}'
    assert paystack.verify_signature(body, sign(body, "sk_test_x"), "sk_test_x")


def test_signature_without_key_rejected():
    assert not paystack.verify_signature(b"{}", "abc", "")


def test_signature_non_ascii_rejected():
    assert not paystack.verify_signature(b"{}", "é" * 128, "sk_test_x")


def test_sandbox_rebuilds_lost_transaction(event, make_order):
    order = make_order(event, 2)
    payment = services.start_payment(order)
    before = SandboxGateway().get(payment.reference)
    cache.clear()
    assert SandboxGateway().get(payment.reference) == before


def test_sandbox_unknown_reference_not_found(db):
    with pytest.raises(TransactionNotFound):
        SandboxGateway().get("TKT-unknown")
