"""The buyer's order list: their orders only, orders with a running seat hold first, and links to each order."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from payments.models import Order, Payment

ORDERS = "/payments/orders/"


@pytest.fixture
def browser(client, user):
    client.force_login(user)
    return client


def placed(order, minutes_ago):
    """Move an order's creation time into the past, so the newest-first order is known."""
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))


def numbers_in_page(response):
    return [order.number for order in response.context["orders"]]


def test_order_list_requires_login(client, db):
    response = client.get(ORDERS)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_order_list_empty(browser):
    html = browser.get(ORDERS).content.decode()
    assert "You have no orders yet." in html


def test_order_list_only_own(browser, event, make_order, make_user):
    mine = make_order(event, 1)
    theirs = make_order(event, 1, buyer=make_user("stranger"))
    response = browser.get(ORDERS)
    html = response.content.decode()
    assert numbers_in_page(response) == [mine.number]
    assert mine.get_absolute_url() in html
    assert theirs.number not in html


def test_order_list_running_hold_first(browser, event, make_order):
    paid = make_order(event, 1)
    Order.objects.filter(pk=paid.pk).update(status=Order.Status.PAID)
    running = make_order(event, 1)
    placed(running, 30)
    ended = make_order(event, 1)
    Order.objects.filter(pk=ended.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    placed(ended, 10)
    placed(paid, 5)

    response = browser.get(ORDERS)

    assert numbers_in_page(response) == [running.number, paid.number, ended.number]


def test_order_list_pay_now_for_running_hold(browser, event, make_order):
    running = make_order(event, 1)
    ended = make_order(event, 1)
    Order.objects.filter(pk=ended.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    html = browser.get(ORDERS).content.decode()

    assert html.count(">Pay now<") == 1
    assert f'action="/payments/orders/{running.number}/pay/"' in html
    assert f'action="/payments/orders/{ended.number}/pay/"' not in html
    assert "Seat hold ended" in html
    assert "seats held until" in html


def test_order_list_shows_event_status_total(browser, event, make_order):
    order = make_order(event, 2)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.FAILED)

    html = browser.get(ORDERS).content.decode()

    assert event.title in html
    assert event.local_starts_at.strftime("%a %-d %b %Y") in html
    assert "₦10,000.00" in html
    assert "Failed" in html


def test_order_list_review_no_pay_now(browser, event, make_order, make_payment):
    order = make_order(event, 1)
    make_payment(order)
    Payment.objects.filter(order=order).update(status=Payment.Status.FAILED, needs_review=True)

    html = browser.get(ORDERS).content.decode()

    assert "Payment under review" in html
    assert "Pay now" not in html


def test_order_list_pages(browser, event, make_order):
    # One buyer may hold at most max_per_order seats of a ticket type in pending orders.
    event.ticket_types.update(max_per_order=21)
    for _ in range(21):
        make_order(event, 1)

    first = browser.get(ORDERS)
    second = browser.get(ORDERS, {"page": 2})

    assert len(first.context["orders"]) == 20
    assert len(second.context["orders"]) == 1
    assert "Page 2 of 2" in second.content.decode()


def test_account_links_to_orders(browser):
    html = browser.get(reverse("accounts:account")).content.decode()
    assert f'href="{ORDERS}"' in html


def test_order_page_links_to_orders(browser, event, make_order):
    order = make_order(event, 1)
    html = browser.get(order.get_absolute_url()).content.decode()
    assert f'href="{ORDERS}"' in html
