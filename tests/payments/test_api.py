"""The pay and verify endpoints, as API clients call them."""
import json

import pytest
import requests
import responses
from django.utils import timezone

from events.models import Event
from payments.models import Order, Payment
from tests.payments.conftest import BASE_URL, add_initialize, add_verify, init_body


@pytest.fixture
def client(auth_client, user):
    return auth_client(user)


def pay(client, body, path="/api/payments/pay"):
    return client.post(path, body, format="json")


def initialize_echo(mock):
    """Respond to initialize with the reference the request sent, as Paystack does."""

    def reply(request):
        reference = json.loads(request.body)["reference"]
        return 200, {}, json.dumps(init_body(reference, f"https://checkout.paystack.com/{reference}"))

    mock.add_callback(responses.POST, f"{BASE_URL}/transaction/initialize", callback=reply,
                      content_type="application/json")


@pytest.mark.parametrize("path", ["/api/payments/pay", "/api/payments/pay/"])
def test_pay_demo_body(client, event, path):
    response = pay(client, {"event_id": event.pk}, path)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["amount"] == "5000.00"
    assert body["amount_minor"] == 500000
    assert body["currency"] == "NGN"
    assert body["sandbox"] is True
    assert f"/payments/sandbox/{body['reference']}/" in body["authorization_url"]
    assert body["expires_at"]
    assert Order.objects.get(number=body["order"]).seat_count == 1


def test_pay_form_encoded(client, event):
    response = client.post("/api/payments/pay", {"event_id": event.pk, "quantity": 2})
    assert response.status_code == 201, response.content
    assert response.json()["amount_minor"] == 1000000


def test_pay_with_paystack(client, event, mock_paystack):
    initialize_echo(mock_paystack)
    response = pay(client, {"event_id": event.pk, "quantity": 3})
    assert response.status_code == 201, response.content
    body = response.json()
    sent = json.loads(mock_paystack.calls[0].request.body)
    assert sent["amount"] == 1500000
    assert sent["reference"] == body["reference"]
    assert body["authorization_url"] == f"https://checkout.paystack.com/{body['reference']}"
    assert body["sandbox"] is False


def test_pay_items(client, make_event):
    event = make_event(types=(("Regular", "10.00", 10), ("VIP", "20.00", 10)))
    regular, vip = event.ticket_types.order_by("sort_order")
    response = pay(client, {"event_id": event.pk, "items": [
        {"ticket_type_id": regular.pk, "quantity": 1}, {"ticket_type_id": vip.pk, "quantity": 2}]})
    assert response.status_code == 201, response.content
    assert response.json()["amount_minor"] == 5000


def test_pay_anonymous(api_client, event):
    assert pay(api_client, {"event_id": event.pk}).status_code == 401


@pytest.mark.parametrize("status", [None, Event.Status.DRAFT])
def test_pay_unknown_event(client, event, status):
    event_id = event.pk if status else 999999
    if status:
        Event.objects.filter(pk=event.pk).update(status=status)
    response = pay(client, {"event_id": event_id})
    assert response.status_code == 404
    assert "detail" in response.json()


def test_pay_sold_out(client, make_event):
    event = make_event(types=(("General admission", "5000.00", 1),))
    assert pay(client, {"event_id": event.pk}).status_code == 201
    response = pay(client, {"event_id": event.pk})
    assert response.status_code == 409
    assert response.json()["code"] == "sold_out"


def test_pay_some_seats_left(client, make_event):
    event = make_event(types=(("General admission", "5000.00", 3),))
    response = pay(client, {"event_id": event.pk, "quantity": 4})
    assert response.status_code == 409
    assert response.json() == {"detail": "Only 3 seats are left for General admission.", "code": "sold_out"}


def test_pay_cancelled_event(client, event):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    response = pay(client, {"event_id": event.pk})
    assert response.status_code == 409
    assert response.json()["code"] == "sales_closed"


@pytest.mark.parametrize("body, field", [
    ({"quantity": 0}, "quantity"),
    ({"quantity": -2}, "quantity"),
    ({"quantity": "many"}, "quantity"),
    ({"quantity": 11}, "quantity"),
    ({"ticket_type_id": 999999}, "quantity"),
    ({"items": []}, "items"),
])
def test_pay_bad_quantity(client, event, body, field):
    response = pay(client, {"event_id": event.pk, **body})
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Order.objects.exists()


def test_pay_missing_event(client, db):
    response = pay(client, {})
    assert response.status_code == 400
    assert "event_id" in response.json()


def test_pay_gateway_unavailable(client, event, mock_paystack):
    add_initialize(mock_paystack, body=requests.exceptions.ConnectTimeout("timed out"))
    response = pay(client, {"event_id": event.pk})
    assert response.status_code == 503
    assert int(response["Retry-After"]) >= 1
    order = Order.objects.get(number=response.json()["order"])
    assert order.status == Order.Status.PENDING
    assert order.payments.get().status == Payment.Status.INITIALIZED


def test_pay_retry_existing_order(client, event, mock_paystack):
    add_initialize(mock_paystack, body=requests.exceptions.ConnectTimeout("timed out"))
    number = pay(client, {"event_id": event.pk}).json()["order"]
    mock_paystack.replace(responses.POST, f"{BASE_URL}/transaction/initialize", json=init_body("x"))
    response = pay(client, {"order": number})
    assert response.status_code == 201, response.content
    assert Order.objects.count() == 1
    assert Payment.objects.count() == 2


def test_pay_retry_other_users_order(client, event, make_user, auth_client):
    number = pay(auth_client(make_user("owner")), {"event_id": event.pk}).json()["order"]
    response = pay(client, {"order": number})
    missing = pay(client, {"order": "ORD-000000000000"})
    assert response.status_code == 404
    assert missing.status_code == 404
    assert response.json() == missing.json() == {"detail": "No such order.", "code": "not_found"}
    assert Payment.objects.filter(order__number=number).count() == 1


def test_pay_expired_order_not_payable(client, event):
    number = pay(client, {"event_id": event.pk}).json()["order"]
    Order.objects.filter(number=number).update(expires_at=timezone.now())
    assert pay(client, {"order": number}).status_code == 409


def test_pay_over_hold_limit_409(client, event):
    assert pay(client, {"event_id": event.pk, "quantity": 10}).status_code == 201

    response = pay(client, {"event_id": event.pk, "quantity": 10})

    assert response.status_code == 409
    assert response.json()["code"] == "hold_limit"
    assert "You already hold 10 General admission tickets" in response.json()["detail"]
    assert Order.objects.count() == 1
    assert Payment.objects.count() == 1


def test_pay_existing_order_within_hold_limit(client, event):
    number = pay(client, {"event_id": event.pk, "quantity": 10}).json()["order"]

    response = pay(client, {"order": number})

    assert response.status_code == 201, response.content
    assert Order.objects.count() == 1


def test_pay_throttled(client, event, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "payment": "2/min"}
    original = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = rates
    try:
        statuses = [pay(client, {"event_id": event.pk}).status_code for _attempt in range(3)]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = original
    assert statuses == [201, 201, 429]


@pytest.fixture
def started(client, event):
    return pay(client, {"event_id": event.pk, "quantity": 2}).json()["reference"]


@pytest.mark.parametrize("suffix", ["", "/"])
def test_verify_success(client, started, mock_paystack, suffix):
    add_verify(mock_paystack, started, amount=1000000)
    response = client.post(f"/api/payments/verify/{started}{suffix}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "success"
    assert body["order"]["status"] == "paid"
    assert len(body["tickets"]) == 2
    assert {"id", "code", "status", "ticket_type", "url"} <= set(body["tickets"][0])


def test_verify_repeat_same_tickets(client, started, mock_paystack):
    add_verify(mock_paystack, started, amount=1000000)
    first = client.post(f"/api/payments/verify/{started}").json()
    second = client.post(f"/api/payments/verify/{started}").json()
    assert second["tickets"] == first["tickets"]


def test_verify_declined(client, started, mock_paystack):
    add_verify(mock_paystack, started, status="failed", message="Insufficient funds", amount=1000000)
    response = client.post(f"/api/payments/verify/{started}")
    assert response.status_code == 402
    assert "Insufficient funds" in response.json()["detail"]


def test_verify_abandoned(client, started, mock_paystack):
    add_verify(mock_paystack, started, status="abandoned", message="Abandoned", amount=1000000)
    assert client.post(f"/api/payments/verify/{started}").status_code == 402


def test_verify_amount_mismatch(client, started, mock_paystack):
    add_verify(mock_paystack, started, amount=100)
    response = client.post(f"/api/payments/verify/{started}")
    assert response.status_code == 409
    assert response.json()["code"] == "amount_mismatch"


def test_verify_gateway_unavailable(client, started, mock_paystack):
    mock_paystack.add(responses.GET, f"{BASE_URL}/transaction/verify/{started}", status=500,
                      json={"status": False, "message": "Server error"})
    response = client.post(f"/api/payments/verify/{started}")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert Payment.objects.get(reference=started).status == Payment.Status.INITIALIZED


def test_verify_other_users_reference(started, make_user, auth_client):
    response = auth_client(make_user("stranger")).post(f"/api/payments/verify/{started}")
    missing = auth_client(make_user("another")).post("/api/payments/verify/TKT-does-not-exist")
    assert response.status_code == 404
    assert response.json() == missing.json()


def test_verify_anonymous(api_client, started):
    assert api_client.post(f"/api/payments/verify/{started}").status_code == 401


def test_verify_sandbox_end_to_end(client, started, user):
    from payments.gateways.sandbox import SandboxGateway

    SandboxGateway().complete(started, approve=True)
    response = client.post(f"/api/payments/verify/{started}")
    assert response.status_code == 200, response.content
    assert len(response.json()["tickets"]) == 2


def test_sandbox_decision_then_verify(client, started):
    """An API client finishes a sandbox purchase without a browser: decide, then verify."""
    response = client.post(f"/api/payments/sandbox/{started}", {"decision": "pay"}, format="json")
    assert response.status_code == 200, response.content
    verified = client.post(f"/api/payments/verify/{started}")
    assert verified.status_code == 200
    assert len(verified.json()["tickets"]) == 2


def test_sandbox_decline_then_verify_402(client, started):
    assert client.post(f"/api/payments/sandbox/{started}/", {"decision": "decline"}, format="json").status_code == 200
    response = client.post(f"/api/payments/verify/{started}")
    assert response.status_code == 402
    assert "Declined by the buyer in the sandbox" in response.json()["detail"]


def test_sandbox_decision_bad_input(client, started):
    for body in [{}, {"decision": "maybe"}]:
        response = client.post(f"/api/payments/sandbox/{started}", body, format="json")
        assert response.status_code == 400
        assert "decision" in response.json()
    assert client.post(f"/api/payments/verify/{started}").status_code == 402


def test_sandbox_decision_other_users_404(started, make_user, auth_client):
    stranger = auth_client(make_user("stranger"))
    response = stranger.post(f"/api/payments/sandbox/{started}", {"decision": "pay"}, format="json")
    assert response.status_code == 404
    assert Payment.objects.get(reference=started).status == Payment.Status.INITIALIZED


def test_sandbox_decision_404_with_real_key(client, started, live_key):
    assert client.post(f"/api/payments/sandbox/{started}", {"decision": "pay"}, format="json").status_code == 404



HUGE_ID = 99999999999999999999999


@pytest.mark.parametrize("body, field", [
    ({"ticket_type_id": HUGE_ID}, "ticket_type_id"),
    ({"ticket_type_id": 2**63}, "ticket_type_id"),
    ({"items": [{"ticket_type_id": HUGE_ID, "quantity": 1}]}, "items"),
    ({"event_id": HUGE_ID}, "event_id"),
])
def test_pay_huge_id_400(client, event, body, field):
    response = pay(client, {"event_id": event.pk, **body})
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Order.objects.exists()
