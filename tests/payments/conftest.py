"""Fixtures for checkout and payment tests: Paystack mocked with `responses`, orders and payments."""
import hashlib
import hmac
import json

import pytest
import responses

from payments import services
from payments.gateways import paystack
from payments.models import Payment

SECRET_KEY = "sk_test_checkout0123456789abcdef"
# Loopback with nothing listening: a request that escapes the mocks fails here and goes nowhere else.
BASE_URL = "http://127.0.0.1:9/paystack"


@pytest.fixture(autouse=True)
def closed_circuit():
    """Start and end every test with the Paystack circuit closed and its fault count at zero."""
    paystack.reset_circuit()
    yield
    paystack.reset_circuit()


@pytest.fixture(autouse=True)
def gateway_settings(settings):
    """Use the sandbox by default, with a loopback base URL and a small circuit threshold."""
    settings.PAYSTACK_SECRET_KEY = ""
    settings.PAYSTACK_BASE_URL = BASE_URL
    settings.PAYSTACK_CIRCUIT_FAILURE_THRESHOLD = 3
    settings.PAYSTACK_CIRCUIT_RECOVERY_SECONDS = 30
    settings.ORDER_HOLD_MINUTES = 15
    return settings


@pytest.fixture
def live_key(settings):
    """Configure a Paystack test key, so the real gateway (mocked) is used instead of the sandbox."""
    settings.PAYSTACK_SECRET_KEY = SECRET_KEY
    return SECRET_KEY


@pytest.fixture
def mock_paystack(live_key):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def init_body(reference, url="https://checkout.paystack.com/abc123"):
    return {
        "status": True, "message": "Authorization URL created",
        "data": {"authorization_url": url, "access_code": "abc123", "reference": reference},
    }


def verify_body(reference, *, status="success", amount=500000, currency="NGN", message="Successful", **extra):
    data = {
        "id": 4099260516, "domain": "test", "status": status, "reference": reference, "amount": amount,
        "currency": currency, "gateway_response": message, "paid_at": "2026-12-04T10:15:03.000Z",
        "channel": "card", "customer": {"email": "buyer@example.com"}, "metadata": {"order": 42},
    }
    data.update(extra)
    return {"status": True, "message": "Verification successful", "data": data}


def add_verify(mock, reference, **fields):
    """Register Paystack's verify response for a reference."""
    mock.add(responses.GET, f"{BASE_URL}/transaction/verify/{reference}", json=verify_body(reference, **fields))


def add_initialize(mock, **kwargs):
    mock.add(responses.POST, f"{BASE_URL}/transaction/initialize", **kwargs)


def sign(body: bytes, key=SECRET_KEY) -> str:
    return hmac.new(key.encode(), body, hashlib.sha512).hexdigest()


def webhook_body(reference, **fields) -> bytes:
    return json.dumps({"event": "charge.success", "data": verify_body(reference, **fields)["data"]}).encode()


@pytest.fixture
def make_order(user):
    """Hold seats for a buyer: make_order(event, quantity) or make_order(event, {type_id: quantity})."""

    def make(event, quantities=1, *, buyer=None):
        if isinstance(quantities, int):
            quantities = {event.ticket_types.first().pk: quantities}
        return services.create_order(buyer=buyer or user, event_id=event.pk, quantities=quantities)

    return make


@pytest.fixture
def make_payment():
    """Record a started payment attempt for an order without calling any gateway."""

    def make(order):
        return Payment.objects.create(order=order, amount_minor=order.total_minor, currency=order.currency)

    return make
