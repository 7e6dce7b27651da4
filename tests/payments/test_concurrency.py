"""Real concurrency on PostgreSQL: row locks keep seats and confirmations exact."""
import pytest
from django.test import Client
from rest_framework.test import APIClient

from payments import services
from payments.exceptions import SoldOut
from payments.models import Order
from payments.signals import order_paid
from tests.conftest import PASSWORD
from tests.payments.conftest import sign, webhook_body
from tests.threads import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_last_seats_never_oversold(make_event, make_user):
    event = make_event(types=(("General admission", "5000.00", 5),))
    type_id = event.ticket_types.get().pk
    buyers = [make_user(f"buyer{number}") for number in range(12)]

    def buy(buyer):
        return lambda: services.create_order(buyer=buyer, event_id=event.pk, quantities={type_id: 1})

    results = run_together([buy(buyer) for buyer in buyers])
    orders = [result for result in results if isinstance(result, Order)]
    sold_out = [result for result in results if isinstance(result, SoldOut)]
    assert len(orders) == 5
    assert len(sold_out) == 7
    assert sum(order.seat_count for order in Order.objects.filter(event=event)) == 5


def test_shared_capacity_never_oversold(make_event, make_user):
    event = make_event(types=(("Regular", "10.00", 10), ("VIP", "20.00", 10)), capacity=4)
    regular, vip = event.ticket_types.order_by("sort_order").values_list("pk", flat=True)
    buyers = [make_user(f"buyer{number}") for number in range(10)]

    def buy(buyer, type_id):
        return lambda: services.create_order(buyer=buyer, event_id=event.pk, quantities={type_id: 1})

    results = run_together([buy(buyer, regular if number % 2 else vip) for number, buyer in enumerate(buyers)])
    assert sum(isinstance(result, Order) for result in results) == 4
    assert sum(isinstance(result, SoldOut) for result in results) == 6


def test_callback_verify_webhook_together(event, user, make_order, make_payment, mock_paystack):
    from tests.payments.conftest import add_verify

    payment = make_payment(make_order(event, 3))
    add_verify(mock_paystack, payment.reference, amount=1500000)
    sent = []
    order_paid.connect(lambda sender, order, **kwargs: sent.append(order.pk), weak=False, dispatch_uid="count")

    browser = Client()
    browser.force_login(user)
    api = APIClient()
    token = api.post("/api/token/", {"username": user.username, "password": PASSWORD}, format="json").json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token['access']}")
    body = webhook_body(payment.reference, amount=1500000)
    paystack_client = Client()

    try:
        results = run_together([
            lambda: browser.get("/payments/callback/", {"reference": payment.reference}).status_code,
            lambda: api.post(f"/api/payments/verify/{payment.reference}").status_code,
            lambda: paystack_client.post("/api/payments/webhook/", data=body, content_type="application/json",
                                         HTTP_X_PAYSTACK_SIGNATURE=sign(body)).status_code,
            lambda: api.post(f"/api/payments/verify/{payment.reference}").status_code,
        ])
    finally:
        order_paid.disconnect(dispatch_uid="count")
    assert results == [302, 200, 200, 200]
    assert sent == [payment.order_id]
    assert len(services.order_tickets(payment.order)) == 3
