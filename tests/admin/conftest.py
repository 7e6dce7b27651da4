"""Two organisers with an event each, a superuser, and orders in every state the admin shows."""
from datetime import timedelta

import pytest
from django.utils import timezone

from events.currencies import to_minor_units
from payments.gateways import paystack
from payments.models import Order, OrderLine, Payment
from tests.conftest import PASSWORD
from tickets.services import issue_tickets


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Hash the many test users' passwords quickly; password strength is not what these tests check."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
