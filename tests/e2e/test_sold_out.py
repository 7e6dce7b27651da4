"""Journey: a visitor finds an event whose seats are all sold, and an empty home page."""
from datetime import timedelta

import pytest
from django.utils import timezone

from payments.models import Order, OrderLine

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sell_all_seats(event, buyer):
    """Record a paid order that takes every seat of each ticket type of the event."""
    for ticket_type in event.ticket_types.all():
        order = Order.objects.create(
            buyer=buyer, event=event, email=buyer.email, status=Order.Status.PAID, currency=event.currency,
            total_minor=int(ticket_type.price * 100) * ticket_type.capacity,
            expires_at=timezone.now() + timedelta(minutes=15), paid_at=timezone.now(),
        )
        OrderLine.objects.create(
            order=order, ticket_type=ticket_type, quantity=ticket_type.capacity, unit_price=ticket_type.price,
        )


def test_sold_out_event_has_no_buy_button(page, shoot, make_event, make_user):
    event = make_event(title="Afrobeat Sunday", types=(("Standing", "7500.00", 3),))
    sell_all_seats(event, make_user("early-bird"))

    page.goto(event.get_absolute_url())

    tickets = page.locator("section", has=page.get_by_role("heading", name="Tickets"))
    assert tickets.get_by_text("Sold out").first.is_visible()
    assert tickets.get_by_role("button").count() == 0
    assert tickets.get_by_role("spinbutton").count() == 0
    assert tickets.get_by_role("combobox").count() == 0
    shoot(page, "event")


def test_home_without_events_shows_empty_state(page, shoot):
    page.goto("/")

    assert page.locator(".empty-state").is_visible()
    assert "No upcoming events" in page.locator(".empty-state").inner_text()
    shoot(page, "home")
