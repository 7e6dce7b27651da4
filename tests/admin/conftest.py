"""Two organisers with an event each, a superuser, and orders in every state the admin shows."""
import html
import re
from datetime import timedelta

import pytest
import responses
from django import forms
from django.utils import timezone

from events.currencies import to_minor_units
from payments.gateways import paystack
from payments.models import Order, OrderLine, Payment
from tests.conftest import PASSWORD
from tickets.services import issue_tickets


@pytest.fixture(autouse=True)
def closed_circuit():
    """Start and end every test with the Paystack circuit closed."""
    paystack.reset_circuit()
    yield
    paystack.reset_circuit()


@pytest.fixture
def alice(make_user):
    return make_user("alice", organiser=True)


@pytest.fixture
def bob(make_user):
    return make_user("bob", organiser=True)


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", PASSWORD)


@pytest.fixture
def buyer(make_user):
    return make_user("buyer")


@pytest.fixture
def login(client):
    """Return a function that logs the Django test client in as a user."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def alice_event(make_event, alice):
    return make_event(organiser=alice, title="Alice Jazz Night", types=(("Regular", "5000.00", 50), ("VIP", "20000.00", 10)))


@pytest.fixture
def bob_event(make_event, bob):
    return make_event(organiser=bob, title="Bob Comedy Club", types=(("Regular", "3000.00", 40),))


@pytest.fixture
def make_order(buyer):
    """Return a function that creates an order for `quantity` seats of an event's first ticket type.

    A paid order gets a successful payment and its tickets, as the confirmation service leaves them.
    """

    def make(event, *, quantity=2, status=Order.Status.PAID, ticket_type=None, email=None):
        ticket_type = ticket_type or event.ticket_types.order_by("sort_order").first()
        now = timezone.now()
        total_minor = to_minor_units(ticket_type.price) * quantity
        order = Order.objects.create(
            buyer=buyer, event=event, email=email or buyer.email, status=status, currency=event.currency,
            total_minor=total_minor, expires_at=now + timedelta(minutes=15),
            paid_at=now if status == Order.Status.PAID else None,
        )
        OrderLine.objects.create(order=order, ticket_type=ticket_type, quantity=quantity, unit_price=ticket_type.price)
        if status == Order.Status.PAID:
            Payment.objects.create(
                order=order, amount_minor=total_minor, currency=event.currency, status=Payment.Status.SUCCESS,
                paid_at=now, gateway_response={"status": "success", "amount": total_minor},
            )
            issue_tickets(order)
        return order

    return make


SECRET_KEY = "sk_test_admin0123456789abcdef"
# Loopback with nothing listening: a request that escapes the mocks fails here and goes nowhere else.
BASE_URL = "http://127.0.0.1:9/paystack"
REFUND_URL = f"{BASE_URL}/refund"


@pytest.fixture
def paystack_mock(settings):
    """Use the real Paystack gateway against `responses`, with a circuit that opens after 3 faults."""
    settings.PAYSTACK_SECRET_KEY = SECRET_KEY
    settings.PAYSTACK_BASE_URL = BASE_URL
    settings.PAYSTACK_CIRCUIT_FAILURE_THRESHOLD = 3
    settings.PAYSTACK_CIRCUIT_RECOVERY_SECONDS = 30
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def refund_body(reference, amount):
    """Return Paystack's response to POST /refund: queued, with the outcome sent later by webhook."""
    return {
        "status": True, "message": "Refund has been queued for processing",
        "data": {
            "transaction": {"id": 4099260516, "reference": reference, "amount": amount, "currency": "NGN"},
            "integration": 412829, "deducted_amount": 0, "channel": None, "merchant_note": "Refund for transaction",
            "customer_note": "Refund for transaction", "status": "pending", "refunded_by": "admin@example.com",
            "expected_at": "2026-12-11T10:15:03.000Z", "currency": "NGN", "domain": "test", "amount": amount,
            "fully_deducted": False, "id": 3018284,
        },
    }


def add_refund_ok(mock, reference, amount):
    mock.add(responses.POST, REFUND_URL, json=refund_body(reference, amount))


def change_form_data(response):
    """Return the POST data that saves a rendered admin change form unchanged, inlines included."""
    page = response.content.decode()
    data = {}
    forms_to_post = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms_to_post.extend(inline.formset.forms)
    for form in forms_to_post:
        for name, field in form.fields.items():
            data.update(_field_data(form.add_prefix(name), field, form[name].value(), page))
            if field.show_hidden_initial:
                # Fields with a callable default post their initial value too, as the browser does.
                data.update(_field_data(form.add_initial_prefix(name), field, form[name].value(), page))
    return data


def rendered_value(page, name):
    """Return the value of the input called `name` in a rendered page, or "" when it has none."""
    match = re.search(rf'name="{re.escape(name)}"(?: value="([^"]*)")?', page)
    return html.unescape(match.group(1) or "") if match else ""


def _field_data(key, field, value, page):
    if isinstance(field.widget, forms.SplitDateTimeWidget):
        # The page shows date-times in the event's time zone, not the test's, so post back what it
        # rendered, as a browser does.
        return {f"{key}_0": rendered_value(page, f"{key}_0"), f"{key}_1": rendered_value(page, f"{key}_1")}
    if value is None or value is False:
        return {}
    if value is True:
        return {key: "on"}
    return {key: value}
