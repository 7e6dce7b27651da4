"""Journey: an organiser finds a sale in the admin and checks a ticket in at the door, twice."""
import re

import pytest
from playwright.sync_api import expect

from payments import services as payment_services
from payments.gateways.sandbox import SandboxGateway
from tests.conftest import PASSWORD
from tests.e2e.conftest import decode_qr
from tests.e2e.steps import field, log_in
from tickets.models import Ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def buy_in_sandbox(buyer, event, quantity):
    """Place and pay an order through the payment services and the sandbox gateway."""
    ticket_type = event.ticket_types.get()
    order = payment_services.create_order(buyer=buyer, event_id=event.pk, quantities={ticket_type.pk: quantity})
    payment = payment_services.start_payment(order)
    SandboxGateway().complete(payment.reference, approve=True)
    payment_services.confirm_payment(payment.reference, buyer=buyer)
    return order


def scan_ticket_page(make_page, buyer, ticket):
    """Open the buyer's ticket page in their own browser and return the text of its QR code."""
    page = make_page()
    page.goto(ticket.get_absolute_url())
    log_in(page, buyer.username)
    (text,) = decode_qr(page.locator(".ticket-page-qr svg"))
    return text


def test_check_in_twice(page, make_page, shoot, make_event, organiser, user):
    event = make_event(title="Fuji Night", types=(("General admission", "5000.00", 40),))
    buy_in_sandbox(user, event, 2)
    ticket = Ticket.objects.filter(holder=user).first()
    scanned = scan_ticket_page(make_page, user, ticket)

    page.goto("/admin/")
    page.get_by_label("Username").fill(organiser.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("rowheader", name="Events").get_by_role("link").click()
    row = page.get_by_role("row", name=re.compile("Fuji Night"))
    expect(row.locator("td.field-sold")).to_have_text("2")
    expect(row.locator("td.field-revenue")).to_contain_text("10,000.00")
    shoot(page, "admin-events", audit=False)

    page.get_by_role("link", name="View site").click()
    page.get_by_role("link", name="Check-in").click()
    shoot(page, "check-in-events")
    page.get_by_role("link", name="Fuji Night").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fuji Night")
    field(page, "Ticket code").fill(scanned)
    page.get_by_role("button", name="Check in").click()
    result = page.get_by_role("alert")
    expect(result).to_contain_text("Checked in")
    expect(result).to_contain_text(ticket.holder_name)
    shoot(page, "checked-in")

    field(page, "Ticket code").fill(scanned)
    page.get_by_role("button", name="Check in").click()
    expect(result).to_contain_text("Not admitted")
    expect(result).to_contain_text(re.compile(r"already checked in at \d\d:\d\d:\d\d .* by organiser"))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CHECKED_IN
    assert ticket.checked_in_by == organiser
    shoot(page, "second-scan")
