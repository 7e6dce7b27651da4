"""Journey: a visitor finds an event, registers on the way, pays in the sandbox and gets two tickets."""
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.e2e.conftest import decode_qr
from tests.e2e.steps import continue_to_payment, decide_in_sandbox, field, tab_to
from tickets.models import Ticket
from tickets.services import ticket_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Kora-strings-2027"


def register(page, shoot):
    """Register from the login page, first with a password typo that the form reports."""
    page.get_by_role("link", name="Create an account").click()
    field(page, "Username").fill("amara")
    field(page, "Email address").fill("amara@example.com")
    field(page, "Password").fill(NEW_PASSWORD)
    field(page, "Password confirmation").fill(NEW_PASSWORD + "x")
    page.get_by_role("button", name="Create account").click()

    # The form comes back with the error and keeps what was typed, apart from the passwords.
    expect(page.locator(".field-invalid .error")).not_to_have_count(0)
    expect(field(page, "Username")).to_have_value("amara")
    expect(field(page, "Email address")).to_have_value("amara@example.com")
    shoot(page, "register-error")

    field(page, "Password").fill(NEW_PASSWORD)
    field(page, "Password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()


def test_purchase_from_search_to_tickets(page, shoot, make_event):
    make_event(title="Highlife Evening", location="Accra", types=(("Standing", "3000.00", 50),))
    event = make_event(
        title="Lagos Jazz Night", venue="Terra Kulture", location="Victoria Island, Lagos",
        description="Two sets of live jazz with the Lagos City Band.",
        types=(("General admission", "5000.00", 100), ("Table for four", "60000.00", 5)),
    )

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot(page, "home")
    skip_link = page.get_by_role("link", name="Skip to content")
    tab_to(page, skip_link, max_presses=1)
    expect(skip_link).to_be_in_viewport()
    page.get_by_label("Search").fill("jazz")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Lagos Jazz Night")).to_be_visible()
    expect(page.get_by_role("link", name="Highlife Evening")).to_have_count(0)
    shoot(page, "search")
    page.get_by_role("link", name="Lagos Jazz Night").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lagos Jazz Night")
    shoot(page, "event")

    # The visitor picks two tickets with the keyboard alone.
    quantity = field(page, "Number of General admission tickets")
    tab_to(page, quantity)
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(quantity).to_have_value("2")
    tab_to(page, page.get_by_role("button", name="Buy"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    shoot(page, "login")
    register(page, shoot)

    # Back on the choice: the review page shows the two tickets the visitor picked before registering.
    expect(page.get_by_role("heading", level=1)).to_have_text("Review your order")
    review = page.locator("table.ticket-table")
    expect(review.get_by_role("row", name=re.compile("General admission"))).to_contain_text("2")
    expect(review.locator("tfoot")).to_contain_text("₦10,000.00")
    shoot(page, "review")

    continue_to_payment(page)
    expect(page.get_by_text("Simulation.")).to_be_visible()
    shoot(page, "sandbox")
    decide_in_sandbox(page, "Pay")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Order ORD-")
    expect(page.get_by_text("Paid. Your tickets are below.")).to_be_visible()
    cards = page.locator(".ticket-card")
    expect(cards).to_have_count(2)
    buyer = get_user_model().objects.get(username="amara")
    tickets = list(Ticket.objects.filter(holder=buyer))
    assert len(tickets) == 2
    decoded = [text for card in cards.all() for text in decode_qr(card.locator("svg"))]
    assert sorted(decoded) == sorted(ticket_token(ticket) for ticket in tickets)
    shoot(page, "order")

    cards.first.get_by_role("link", name="Open ticket").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lagos Jazz Night")
    assert decode_qr(page.locator(".ticket-page-qr svg")) == [ticket_token(tickets[0])]
    shoot(page, "ticket")
