"""The purchase in the browser: event page form, review, sandbox checkout, callback and order page."""
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import circuitbreaker
import pytest
import requests
import responses
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from payments import services
from payments.gateways import paystack
from payments.models import Order, Payment
from tests.conftest import PASSWORD
from tests.payments.conftest import BASE_URL, add_initialize, add_verify, init_body


@pytest.fixture
def browser(client, user):
    client.force_login(user)
    return client


def choice(event, quantity=2):
    return {"event": event.pk, f"qty_{event.ticket_types.first().pk}": quantity}


def event_url_with(event, quantity):
    """Return the event page's URL with the choice in the query string, as a rejected checkout sends it."""
    return f"{event.get_absolute_url()}?{urlencode(choice(event, quantity))}"


def path_of(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def buy(browser, event, quantity=2):
    """Post the review page's form and return the response (a redirect to the payment page)."""
    return browser.post("/payments/checkout/", choice(event, quantity))


def test_event_page_has_purchase_form(client, event):
    html = client.get(event.get_absolute_url()).content.decode()
    assert 'action="/payments/checkout/"' in html
    assert f'name="qty_{event.ticket_types.first().pk}"' in html
    assert ">Buy<" in html


def test_sold_out_type_has_no_input(client, make_event, make_user, make_order):
    event = make_event(types=(("Regular", "10.00", 1), ("VIP", "20.00", 5)))
    regular, vip = event.ticket_types.order_by("sort_order")
    make_order(event, {regular.pk: 1}, buyer=make_user("early"))
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Sold out" in html
    assert f'name="qty_{regular.pk}"' not in html
    assert f'name="qty_{vip.pk}"' in html
    assert ">Buy<" in html


def test_everything_sold_out_no_button(client, make_event, make_user, make_order):
    event = make_event(types=(("General admission", "10.00", 1),))
    make_order(event, 1, buyer=make_user("early"))
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Sold out" in html
    assert ">Buy<" not in html


def test_sales_closed_no_button(client, event):
    Event.objects.filter(pk=event.pk).update(sales_start=timezone.now() + timedelta(days=1))
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Sales have not started yet." in html
    assert ">Buy<" not in html
    assert "qty_" not in html


def test_change_tickets_keeps_choice(browser, event):
    review = browser.get("/payments/checkout/", choice(event, 3)).content.decode()
    ticket_type = event.ticket_types.first()
    back_link = f'{event.get_absolute_url()}?event={event.pk}&amp;qty_{ticket_type.pk}=3'
    assert back_link in review

    html = browser.get(event.get_absolute_url(), {f"qty_{ticket_type.pk}": 3}).content.decode()
    assert f'name="qty_{ticket_type.pk}" value="3"' in html


def test_event_page_ignores_bad_choice(client, event):
    ticket_type = event.ticket_types.first()
    for value in ["abc", "-4"]:
        html = client.get(event.get_absolute_url(), {f"qty_{ticket_type.pk}": value}).content.decode()
        assert f'name="qty_{ticket_type.pk}" value="0"' in html
    html = client.get(event.get_absolute_url(), {f"qty_{ticket_type.pk}": 500}).content.decode()
    assert f'name="qty_{ticket_type.pk}" value="{ticket_type.max_per_order}"' in html


def test_checkout_requires_login(client, event):
    response = client.get("/payments/checkout/", choice(event))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_choice_survives_login(client, event, user):
    next_url = client.get("/payments/checkout/", choice(event, 3))["Location"]
    response = client.post(next_url, {"username": user.username, "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Review your order" in html
    assert "₦15,000.00" in html


def test_review_shows_total(browser, event):
    html = browser.get("/payments/checkout/", choice(event, 2)).content.decode()
    assert "₦10,000.00" in html
    assert "15 minutes" in html
    assert not Order.objects.exists()


def test_review_free_order(browser, make_event):
    event = make_event(types=(("Free entry", "0.00", 10),))
    html = browser.get("/payments/checkout/", choice(event, 2)).content.decode()
    assert ">Get tickets<" in html
    assert "Continue to payment" not in html
    assert "held for" not in html
    assert '<td class="price" data-label="Price">Free</td>' in html
    assert '<td class="price checkout-total">₦0.00</td>' in html


def test_free_order_goes_to_paid_order(browser, make_event, settings):
    event = make_event(types=(("Free entry", "0.00", 10),))
    response = buy(browser, event, 2)
    order = Order.objects.get()
    assert response["Location"] == settings.SITE_URL + order.get_absolute_url()
    assert order.status == Order.Status.PAID
    assert "Your tickets are below." in browser.get(order.get_absolute_url()).content.decode()


def test_review_bad_quantity_back_to_event(browser, event):
    response = browser.get("/payments/checkout/", choice(event, 0), follow=True)
    assert response.redirect_chain[-1][0] == event_url_with(event, 0)
    assert "Choose at least one ticket." in response.content.decode()


def test_review_over_max_back_to_event(browser, event):
    for quantity in (11, 1000):
        response = browser.get("/payments/checkout/", choice(event, quantity))
        assert response.status_code == 302
        assert response["Location"] == event_url_with(event, quantity)
        html = browser.get(response["Location"]).content.decode()
        assert "You can buy at most 10 General admission tickets in one order." in html
    assert not Order.objects.exists()


def test_review_more_than_left(browser, make_event, make_user, make_order):
    event = make_event(types=(("Table for four", "5000.00", 8),))
    make_order(event, 3, buyer=make_user("early"))
    response = browser.get("/payments/checkout/", choice(event, 6))
    assert response["Location"] == event_url_with(event, 6)
    html = browser.get(response["Location"]).content.decode()
    assert "Only 5 seats are left for Table for four." in html
    assert f'name="qty_{event.ticket_types.get().pk}" value="6"' in html
    assert Order.objects.count() == 1


def test_review_event_capacity(browser, make_event):
    event = make_event(capacity=3, types=(("Regular", "10.00", 10), ("VIP", "20.00", 10)))
    regular, vip = event.ticket_types.order_by("sort_order")
    query = {"event": event.pk, f"qty_{regular.pk}": 2, f"qty_{vip.pk}": 2}
    response = browser.get("/payments/checkout/", query, follow=True)
    assert "Only 3 seats are left for Lagos Jazz Night." in response.content.decode()
    assert "Review your order" not in response.content.decode()


def test_review_type_sales_closed(browser, make_event):
    event = make_event(types=(("Early bird", "10.00", 10),))
    event.ticket_types.update(sales_end=timezone.now() - timedelta(hours=1))
    response = browser.get("/payments/checkout/", choice(event, 1), follow=True)
    assert response.redirect_chain[-1][0] == event_url_with(event, 1)
    assert "Sales for Early bird have ended." in response.content.decode()


def test_review_writes_nothing(browser, event):
    with CaptureQueriesContext(connection) as queries:
        response = browser.get("/payments/checkout/", choice(event, 2))
    assert response.status_code == 200
    statements = [query["sql"].upper() for query in queries]
    assert not [sql for sql in statements if "FOR UPDATE" in sql]
    assert not [sql for sql in statements if sql.startswith(("INSERT", "UPDATE", "DELETE"))]


def test_review_unknown_event_404(browser, db):
    assert browser.get("/payments/checkout/", {"event": "abc"}).status_code == 404
    assert browser.get("/payments/checkout/", {"event": 999999}).status_code == 404


def test_buy_redirects_to_sandbox(browser, event):
    response = buy(browser, event)
    payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/payments/sandbox/{payment.reference}/")
    assert payment.order.seat_count == 2


def test_buy_sold_out_message(browser, make_event, make_user, make_order):
    event = make_event(types=(("General admission", "10.00", 1),))
    make_order(event, 1, buyer=make_user("early"))
    response = buy(browser, event, 1)
    assert response["Location"] == event_url_with(event, 1)
    html = browser.get(response["Location"]).content.decode()
    assert "Sold out: General admission has no seats left." in html
    assert Order.objects.count() == 1


def test_buy_rejected_keeps_choice(browser, make_event, make_user, make_order):
    event = make_event(types=(("Table for four", "5000.00", 5),))
    ticket_type = event.ticket_types.get()
    assert browser.get("/payments/checkout/", choice(event, 5)).status_code == 200
    # Another buyer takes a seat between the review and "Continue to payment".
    make_order(event, 1, buyer=make_user("quicker"))
    response = buy(browser, event, 5)
    assert response["Location"] == event_url_with(event, 5)
    html = browser.get(response["Location"]).content.decode()
    assert "Only 4 seats are left for Table for four." in html
    assert f'name="qty_{ticket_type.pk}" value="5"' in html


def test_buy_over_max_message(browser, event):
    response = browser.post("/payments/checkout/", choice(event, 11), follow=True)
    assert "at most 10" in response.content.decode()
    assert not Order.objects.exists()


def test_sandbox_pay_shows_tickets(browser, event):
    sandbox_url = buy(browser, event)["Location"]
    page = browser.get(path_of(sandbox_url)).content.decode()
    assert "Simulation." in page
    callback = browser.post(path_of(sandbox_url), {"decision": "pay"})["Location"]
    assert "/payments/callback/?trxref=" in callback
    response = browser.get(path_of(callback), follow=True)
    html = response.content.decode()
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert html.count("Your tickets are below.") == 1
    tickets = services.order_tickets(order)
    assert len(tickets) == 2
    for ticket in tickets:
        assert ticket.get_absolute_url() in html


def test_sandbox_decline_shows_reason(browser, event):
    sandbox_url = buy(browser, event)["Location"]
    callback = browser.post(path_of(sandbox_url), {"decision": "decline"})["Location"]
    html = browser.get(path_of(callback), follow=True).content.decode()
    assert "Declined by the buyer in the sandbox" in html
    assert "Try again" in html
    assert Order.objects.get().status == Order.Status.PENDING


def test_try_again_new_attempt(browser, event):
    sandbox_url = buy(browser, event)["Location"]
    callback = browser.post(path_of(sandbox_url), {"decision": "decline"})["Location"]
    browser.get(path_of(callback))
    order = Order.objects.get()
    response = browser.post(f"/payments/orders/{order.number}/pay/")
    second = order.payments.order_by("-created_at", "-pk").first()
    assert response["Location"].endswith(f"/payments/sandbox/{second.reference}/")
    assert order.payments.count() == 2


def test_sandbox_survives_lost_cache(browser, event, settings):
    sandbox_url = buy(browser, event)["Location"]
    cache.clear()  # What a restart does to the local-memory cache.
    page = browser.get(path_of(sandbox_url))
    assert page.status_code == 200
    assert "Simulation." in page.content.decode()
    cache.clear()
    callback = browser.post(path_of(sandbox_url), {"decision": "pay"})["Location"]
    payment = Payment.objects.get()
    query = f"trxref={payment.reference}&reference={payment.reference}"
    assert callback == f"{settings.SITE_URL}/payments/callback/?{query}"
    browser.get(path_of(callback))
    assert Order.objects.get().status == Order.Status.PAID


def test_sandbox_lost_cache_settled_payment_404(browser, event):
    sandbox_url = buy(browser, event)["Location"]
    Payment.objects.update(status=Payment.Status.FAILED)
    cache.clear()
    assert browser.get(path_of(sandbox_url)).status_code == 404


def test_sandbox_404_with_real_key(browser, event, live_key, mock_paystack):
    add_initialize(mock_paystack, json=init_body("x"))
    buy(browser, event)
    payment = Payment.objects.get()
    assert browser.get(f"/payments/sandbox/{payment.reference}/").status_code == 404
    assert browser.post(f"/payments/sandbox/{payment.reference}/", {"decision": "pay"}).status_code == 404


def test_sandbox_other_users_payment_404(browser, event, make_user, client):
    buy(browser, event)
    payment = Payment.objects.get()
    browser.force_login(make_user("stranger"))
    assert browser.get(f"/payments/sandbox/{payment.reference}/").status_code == 404


def test_order_page_shows_hold_end(browser, event):
    buy(browser, event)
    order = Order.objects.get()
    html = browser.get(order.get_absolute_url()).content.decode()
    local_end = timezone.localtime(order.expires_at, event.tzinfo).strftime("%H:%M")
    assert f"held until {local_end}" in html


def test_order_page_expired_hold(browser, event):
    buy(browser, event)
    order = Order.objects.get()
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    html = browser.get(order.get_absolute_url()).content.decode()
    assert "hold of this order has ended" in html
    assert "Pay now" not in html


def test_other_users_order_404(browser, event, make_user, make_order):
    order = make_order(event, 1, buyer=make_user("owner"))
    assert browser.get(order.get_absolute_url()).status_code == 404
    assert browser.post(f"/payments/orders/{order.number}/pay/").status_code == 404


def test_callback_other_users_reference_404(browser, event, make_user, make_order, make_payment):
    payment = make_payment(make_order(event, 1, buyer=make_user("owner")))
    assert browser.get("/payments/callback/", {"reference": payment.reference}).status_code == 404


def test_callback_uses_reference_not_client_order(browser, event, make_order, make_payment, mock_paystack):
    first = make_payment(make_order(event, 1))
    second = make_order(event, 1)
    add_verify(mock_paystack, first.reference)
    browser.get("/payments/callback/", {"reference": first.reference, "order": second.number})
    assert Order.objects.get(pk=first.order_id).status == Order.Status.PAID
    assert Order.objects.get(pk=second.pk).status == Order.Status.PENDING


def test_open_circuit_message_keeps_hold(browser, event, mock_paystack, monkeypatch):
    monkeypatch.setattr(circuitbreaker, "monotonic", lambda: 5000.0)
    add_initialize(mock_paystack, body=requests.exceptions.ConnectionError("refused"))
    for _attempt in range(3):
        buy(browser, event, 1)
    assert paystack.breaker.opened
    response = buy(browser, event, 1)
    html = browser.get(response["Location"]).content.decode()
    assert "Payments are unavailable right now, try again in 30 seconds." in html
    order = Order.objects.order_by("-pk").first()
    assert order.status == Order.Status.PENDING
    assert "held until" in html
    assert len(mock_paystack.calls) == 3


def test_callback_during_outage(browser, event, mock_paystack, make_order, make_payment):
    payment = make_payment(make_order(event, 1))
    mock_paystack.add(responses.GET, f"{BASE_URL}/transaction/verify/{payment.reference}", status=503,
                      json={"status": False, "message": "down"})
    html = browser.get("/payments/callback/", {"reference": payment.reference}, follow=True).content.decode()
    assert "Payments are unavailable right now" in html
    payment.refresh_from_db()
    assert payment.status == Payment.Status.INITIALIZED


def test_order_page_review_only(browser, make_event, make_order, make_payment, make_user, mock_paystack):
    event = make_event(types=(("General admission", "5000.00", 2),))
    late = make_payment(make_order(event, 2))
    Order.objects.filter(pk=late.order_id).update(expires_at=timezone.now() - timedelta(minutes=1))
    make_order(event, 2, buyer=make_user("quicker"))
    add_verify(mock_paystack, late.reference, amount=1000000)
    response = browser.get("/payments/callback/", {"reference": late.reference}, follow=True)
    html = response.content.decode()
    assert "The organiser has been told and will refund or contact you." in html
    assert "hold of this order has ended" not in html
    assert "Choose tickets again" not in html
    assert "Pay now" not in html
    assert "Try again" not in html


def test_order_page_review_during_hold(browser, event, make_order, make_payment):
    order = make_order(event, 1)
    make_payment(order)
    Payment.objects.filter(order=order).update(status=Payment.Status.FAILED, needs_review=True)
    html = browser.get(order.get_absolute_url()).content.decode()
    assert "The organiser has been told and will refund or contact you." in html
    assert "Pay now" not in html
    assert "held until" not in html


PAYMENT_RATE = 3


@pytest.fixture
def payment_rate(settings):
    """Lower the "payment" rate, so a test reaches it in a few requests."""
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "payment": f"{PAYMENT_RATE}/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def use_payment_rate(client):
    """Spend the client's checkout requests on unknown references, which count like any other."""
    for _attempt in range(PAYMENT_RATE):
        assert client.get("/payments/callback/", {"reference": "missing"}).status_code == 404


def test_checkout_throttled_creates_nothing(browser, event, payment_rate):
    for _attempt in range(PAYMENT_RATE):
        assert buy(browser, event, 1).status_code == 302

    response = buy(browser, event, 1)

    assert response.status_code == 302
    assert response["Location"] == event_url_with(event, 1)
    assert int(response["Retry-After"]) >= 1
    assert Order.objects.count() == PAYMENT_RATE
    assert Payment.objects.count() == PAYMENT_RATE
    html = browser.get(response["Location"]).content.decode()
    assert "Too many payment attempts. Try again in" in html


def test_order_pay_throttled_starts_nothing(browser, event, make_order, payment_rate):
    order = make_order(event, 1)
    use_payment_rate(browser)

    response = browser.post(f"/payments/orders/{order.number}/pay/")

    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    assert int(response["Retry-After"]) >= 1
    assert not Payment.objects.exists()
    html = browser.get(response["Location"]).content.decode()
    assert "Too many payment attempts. Try again in" in html


def test_callback_throttled_calls_no_gateway(browser, event, make_order, make_payment, mock_paystack, payment_rate):
    payment = make_payment(make_order(event, 1))
    add_verify(mock_paystack, payment.reference)
    use_payment_rate(browser)

    response = browser.get("/payments/callback/", {"reference": payment.reference})

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "Too many payment checks. Reload this page in" in response.content.decode()
    assert payment.order.number in response.content.decode()
    assert len(mock_paystack.calls) == 0
    payment.refresh_from_db()
    assert payment.status == Payment.Status.INITIALIZED


def test_payment_throttle_counts_per_buyer(browser, event, make_user, payment_rate):
    use_payment_rate(browser)

    from_new_address = browser.post("/payments/checkout/", choice(event, 1), REMOTE_ADDR="10.0.0.99")
    browser.force_login(make_user("other"))
    other_buyer = buy(browser, event, 1)

    assert from_new_address["Location"] == event_url_with(event, 1)
    assert "/payments/sandbox/" in other_buyer["Location"]
    assert Order.objects.get().buyer.username == "other"


def test_buy_over_hold_limit_message(browser, event):
    buy(browser, event, 10)

    response = buy(browser, event, 10)

    assert response["Location"] == event_url_with(event, 10)
    html = browser.get(response["Location"]).content.decode()
    assert "You already hold 10 General admission tickets awaiting payment." in html
    assert "Pay for them under My orders" in html
    assert Order.objects.count() == 1
    assert Payment.objects.count() == 1


def test_review_over_hold_limit_message(browser, event):
    buy(browser, event, 10)

    response = browser.get("/payments/checkout/", choice(event, 1))

    assert response["Location"] == event_url_with(event, 1)
    html = browser.get(response["Location"]).content.decode()
    assert "You already hold 10 General admission tickets" in html


def test_buy_after_hold_expired(browser, event):
    buy(browser, event, 10)
    Order.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = buy(browser, event, 10)

    assert "/payments/sandbox/" in response["Location"]
    assert Order.objects.count() == 2
