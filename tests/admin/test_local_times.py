"""Ticket and order times in the admin are shown in the event's time zone, with its abbreviation."""
from datetime import UTC, datetime

import pytest

from payments.models import Order, Payment
from tickets.models import Ticket

TICKETS = "/admin/tickets/ticket/"
ORDERS = "/admin/payments/order/"

# Africa/Nairobi is UTC+3 all year and abbreviated EAT; the site's own zone is UTC.
CHECK_IN_UTC = datetime(2030, 1, 10, 18, 30, tzinfo=UTC)
CHECK_IN_NAIROBI = "2030-01-10 21:30 EAT"


@pytest.fixture
def nairobi_event(make_event, alice):
    return make_event(organiser=alice, title="Nairobi Jazz Night", time_zone="Africa/Nairobi")


@pytest.fixture
def checked_in_ticket(nairobi_event, make_order, alice):
    """Return a ticket that alice checked in at 18:30 UTC."""
    alice.first_name, alice.last_name = "Alice", "Adeyemi"
    alice.save()
    order = make_order(nairobi_event, quantity=1)
    Ticket.objects.filter(order_line__order=order).update(
        status=Ticket.Status.CHECKED_IN, checked_in_at=CHECK_IN_UTC, checked_in_by=alice,
    )
    return Ticket.objects.get(order_line__order=order)


def readonly_text(response, name):
    """Return the text the change page shows for the read-only field `name`."""
    for fieldset in response.context["adminform"]:
        for line in fieldset:
            for field in line:
                if field.is_readonly and field.field["name"] == name:
                    return str(field.contents())
    raise AssertionError(f"no read-only field {name}")


def test_ticket_list_check_in_in_zone(login, alice, checked_in_ticket):
    text = login(alice).get(TICKETS).content.decode()
    assert CHECK_IN_NAIROBI in text


def test_ticket_page_check_in_in_zone(login, alice, checked_in_ticket):
    response = login(alice).get(f"{TICKETS}{checked_in_ticket.pk}/change/")
    assert readonly_text(response, "checked_in_local") == CHECK_IN_NAIROBI


def test_ticket_page_names_checker_by_username(login, alice, checked_in_ticket):
    response = login(alice).get(f"{TICKETS}{checked_in_ticket.pk}/change/")
    assert readonly_text(response, "checked_in_by_name") == "alice"


def test_ticket_page_not_checked_in_empty(login, alice, nairobi_event, make_order):
    ticket = Ticket.objects.get(order_line__order=make_order(nairobi_event, quantity=1))
    response = login(alice).get(f"{TICKETS}{ticket.pk}/change/")
    assert readonly_text(response, "checked_in_local") == "-"
    assert readonly_text(response, "checked_in_by_name") == "-"


@pytest.fixture
def timed_order(nairobi_event, make_order):
    """Return a paid order created at 18:30 UTC, paid a minute later, with a hold until 18:45 UTC."""
    order = make_order(nairobi_event)
    Order.objects.filter(pk=order.pk).update(
        created_at=CHECK_IN_UTC, paid_at=datetime(2030, 1, 10, 18, 31, tzinfo=UTC),
        expires_at=datetime(2030, 1, 10, 18, 45, tzinfo=UTC),
    )
    return order


def test_order_list_times_in_zone(login, alice, timed_order):
    text = login(alice).get(ORDERS).content.decode()
    assert "2030-01-10 21:30 EAT" in text
    assert "2030-01-10 21:31 EAT" in text


def test_order_page_times_in_zone(login, alice, timed_order):
    response = login(alice).get(f"{ORDERS}{timed_order.pk}/change/")
    assert readonly_text(response, "created_local") == "2030-01-10 21:30 EAT"
    assert readonly_text(response, "paid_local") == "2030-01-10 21:31 EAT"
    assert readonly_text(response, "expires_local") == "2030-01-10 21:45 EAT"


def test_order_page_payment_times_in_zone(login, alice, timed_order):
    Payment.objects.filter(order=timed_order).update(paid_at=datetime(2030, 1, 10, 18, 31, tzinfo=UTC))
    text = login(alice).get(f"{ORDERS}{timed_order.pk}/change/").content.decode()
    assert text.count("2030-01-10 21:31 EAT") == 2
