"""Journey: the buyer declines in the sandbox, keeps the held seats and pays on the second attempt."""
import re

import pytest
from playwright.sync_api import expect

from payments.models import Order
from tests.e2e.steps import choose_tickets, continue_to_payment, decide_in_sandbox, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_declined_payment_keeps_seats(page, shoot, make_event, user):
    event = make_event(title="Makossa Live", types=(("General admission", "4500.00", 10),))

    choose_tickets(page, event, "General admission", 2)
    log_in(page, user.username)
    continue_to_payment(page)
    decide_in_sandbox(page, "Decline")

    # The order page shows that the attempt failed, why, and that the seats are still held.
    failure = page.locator(".order-failure")
    expect(failure).to_contain_text("not completed")
    expect(failure).to_contain_text("Declined by the buyer in the sandbox")
    expect(page.get_by_text(re.compile(r"Your seats are held until \d\d:\d\d"))).to_be_visible()
    shoot(page, "declined")
    order_url = page.url
    order = Order.objects.get(buyer=user)
    assert order.status == Order.Status.PENDING
    assert order.seat_count == 2

    # Other buyers see the two seats as taken while the hold lasts.
    page.goto(event.get_absolute_url())
    expect(page.get_by_text("8 left")).to_be_visible()

    page.goto(order_url)
    page.get_by_role("button", name="Try again").click()
    decide_in_sandbox(page, "Pay")

    expect(page.get_by_text("Paid. Your tickets are below.")).to_be_visible()
    expect(page.locator(".ticket-card")).to_have_count(2)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.payments.count() == 2
    shoot(page, "paid")
