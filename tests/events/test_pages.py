"""Public event pages: home, list with search, filters and pagination, and the event detail."""
import datetime
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, TicketType
from payments.models import Order, OrderLine

pytestmark = pytest.mark.django_db

HOME = reverse("events:home")
LIST = reverse("events:list")


def titles(response):
    return [event.title for event in response.context["events"]]


def sell(ticket_type, buyer, quantity, *, status=Order.Status.PAID, expires_in=timedelta(minutes=15)):
    order = Order.objects.create(
        buyer=buyer, event=ticket_type.event, email=buyer.email, status=status,
        currency=ticket_type.event.currency, total_minor=0, expires_at=timezone.now() + expires_in,
    )
    OrderLine.objects.create(order=order, ticket_type=ticket_type, quantity=quantity, unit_price=ticket_type.price)


def test_home_lists_upcoming_published(client, make_event):
    make_event(title="Published")
    make_event(title="Draft", status=Event.Status.DRAFT)
    make_event(title="Cancelled", status=Event.Status.CANCELLED)
    make_event(title="Yesterday", starts_at=timezone.now() - timedelta(days=1))

    response = client.get(HOME)

    assert response.status_code == 200
    assert titles(response) == ["Published"]
    html = response.content.decode()
    assert "Draft" not in html
    assert "Cancelled" not in html


def test_home_empty_state(client, db):
    assert "No upcoming events yet" in client.get(HOME).content.decode()


def test_home_shows_price_from(client, make_event):
    make_event(types=(("Regular", "5000.00", 10), ("VIP", "20000.00", 5)))

    assert "From ₦5,000.00" in client.get(HOME).content.decode()


def test_list_orders_by_start(client, make_event):
    make_event(title="Later", days=20)
    make_event(title="Sooner", days=5)

    assert titles(client.get(LIST)) == ["Sooner", "Later"]


def test_list_search_matches_title_and_location(client, make_event):
    make_event(title="Lagos Jazz Night", location="Lagos")
    make_event(title="Book Fair", location="Abuja")

    assert titles(client.get(LIST, {"q": "jazz"})) == ["Lagos Jazz Night"]
    assert titles(client.get(LIST, {"q": "ABUJA"})) == ["Book Fair"]
    assert titles(client.get(LIST, {"q": "nothing-like-this"})) == []


def test_list_search_no_match_message(client, event):
    assert "No events match your search" in client.get(LIST, {"q": "zzz"}).content.decode()


def test_list_filters_by_date(client, make_event):
    make_event(title="Soon", days=2)
    make_event(title="Later", days=30)
    soon = (timezone.now() + timedelta(days=10)).date().isoformat()

    assert titles(client.get(LIST, {"date_to": soon})) == ["Soon"]
    assert titles(client.get(LIST, {"date_from": soon})) == ["Later"]


def test_list_rejects_reversed_dates(client, event):
    response = client.get(LIST, {"date_from": "2027-02-01", "date_to": "2027-01-01"})

    assert response.status_code == 200
    assert "must not be before" in response.content.decode()
    assert titles(response) == []


def test_list_rejects_invalid_date(client, event):
    response = client.get(LIST, {"date_from": "not-a-date"})

    assert response.status_code == 200
    assert response.context["search_form"].errors["date_from"]
    assert "valid date" in response.content.decode()


def test_list_paginates(client, make_event):
    for number in range(14):
        make_event(title=f"Event {number:02}", days=number + 1)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert len(first.context["events"]) == 12
    assert titles(second) == ["Event 12", "Event 13"]
    assert 'rel="next"' in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()


def test_list_pagination_keeps_search(client, make_event):
    for number in range(13):
        make_event(title=f"Jazz {number:02}", days=number + 1)

    html = client.get(LIST, {"q": "jazz"}).content.decode()

    assert "?q=jazz&amp;page=2" in html


def test_list_rejects_overlong_search(client, event):
    response = client.get(LIST, {"q": "x" * 101})

    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()


@pytest.mark.parametrize("page", ["99", "abc"])
def test_list_bad_page_is_404(client, event, page):
    assert client.get(LIST, {"page": page}).status_code == 404


def test_search_fields_have_labels(client, db):
    html = client.get(LIST).content.decode()

    for field in ("q", "date_from", "date_to"):
        assert f'<label for="id_{field}">' in html


def test_detail_shows_types_prices_and_availability(client, make_event):
    event = make_event(types=(("Regular", "5000.00", 12), ("VIP", "20000.50", 0)))

    html = client.get(event.get_absolute_url()).content.decode()

    assert "Regular" in html
    assert "₦5,000.00" in html
    assert "₦20,000.50" in html
    assert "12 left" in html
    assert "Sold out" in html


def test_detail_lists_types_in_sort_order(client, make_event):
    event = make_event(types=(("Late entry", "100.00", 5), ("Early entry", "50.00", 5)))
    TicketType.objects.filter(event=event, name="Late entry").update(sort_order=9)

    response = client.get(event.get_absolute_url())

    assert [ticket_type.name for ticket_type in response.context["ticket_types"]] == ["Early entry", "Late entry"]


def test_detail_formats_event_currency(client, make_event):
    event = make_event(currency="GHS", types=(("Standard", "350.00", 10),))

    assert "GH₵350.00" in client.get(event.get_absolute_url()).content.decode()


def test_detail_counts_paid_and_held_seats(client, make_event, user):
    event = make_event(types=(("Regular", "5000.00", 20),))
    ticket_type = event.ticket_types.get()
    sell(ticket_type, user, 5)
    sell(ticket_type, user, 3, status=Order.Status.PENDING)
    sell(ticket_type, user, 4, status=Order.Status.PENDING, expires_in=timedelta(minutes=-1))
    sell(ticket_type, user, 6, status=Order.Status.CANCELLED)

    html = client.get(event.get_absolute_url()).content.decode()

    assert "12 left" in html


def test_detail_sold_out_when_all_paid(client, make_event, user):
    event = make_event(types=(("Regular", "5000.00", 2),))
    sell(event.ticket_types.get(), user, 2)

    assert "Sold out" in client.get(event.get_absolute_url()).content.decode()


def test_detail_event_capacity_caps_types(client, make_event, user):
    event = make_event(capacity=10, types=(("Regular", "5000.00", 50), ("VIP", "9000.00", 50)))
    sell(event.ticket_types.get(name="VIP"), user, 7)

    html = client.get(event.get_absolute_url()).content.decode()

    assert html.count("3 left") == 2


def test_detail_time_in_event_zone(client, make_event):
    starts_at = datetime.datetime(2027, 1, 10, 18, 0, tzinfo=datetime.UTC)
    event = make_event(starts_at=starts_at, ends_at=starts_at + timedelta(hours=3), time_zone="Africa/Lagos")

    html = client.get(event.get_absolute_url()).content.decode()

    assert "Sunday 10 January 2027, 19:00" in html
    assert "22:00" in html
    assert "Africa/Lagos" in html


def test_detail_time_in_zone_across_midnight(client, make_event):
    starts_at = datetime.datetime(2027, 1, 10, 20, 30, tzinfo=datetime.UTC)
    event = make_event(starts_at=starts_at, time_zone="Africa/Nairobi")

    assert "Sunday 10 January 2027, 23:30" in client.get(event.get_absolute_url()).content.decode()
    event.time_zone = "Asia/Tokyo"
    event.save()
    assert "Monday 11 January 2027, 05:30" in client.get(event.get_absolute_url()).content.decode()


def test_card_time_in_event_zone(client, make_event):
    starts_at = datetime.datetime(2027, 1, 10, 18, 0, tzinfo=datetime.UTC)
    make_event(starts_at=starts_at, time_zone="Africa/Lagos")

    assert "Sun 10 Jan 2027, 19:00" in client.get(LIST).content.decode()


def test_detail_machine_time_is_exact(client, make_event):
    starts_at = datetime.datetime(2027, 1, 10, 18, 0, tzinfo=datetime.UTC)
    event = make_event(starts_at=starts_at, time_zone="Africa/Lagos")

    html = client.get(event.get_absolute_url()).content.decode()

    machine_time = re.search(r'<time datetime="([^"]+)"', html).group(1)
    assert datetime.datetime.fromisoformat(machine_time) == starts_at


def test_draft_detail_is_404(client, make_event):
    event = make_event(status=Event.Status.DRAFT)

    assert client.get(event.get_absolute_url()).status_code == 404


def test_draft_detail_is_404_for_other_users(client, make_event, user):
    event = make_event(status=Event.Status.DRAFT)
    client.force_login(user)

    assert client.get(event.get_absolute_url()).status_code == 404


def test_cancelled_detail_is_404(client, make_event):
    event = make_event(status=Event.Status.CANCELLED)

    assert client.get(event.get_absolute_url()).status_code == 404


def test_unknown_slug_is_404(client, db):
    assert client.get(reverse("events:detail", kwargs={"slug": "no-such-event"})).status_code == 404


def test_past_event_detail_says_sales_ended(client, make_event):
    event = make_event(starts_at=timezone.now() - timedelta(hours=1))

    response = client.get(event.get_absolute_url())

    assert response.status_code == 200
    assert "Sales have ended" in response.content.decode()


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Вечер джаза в Лагосе", "вечер-джаза-в-лагосе"),
        ("東京ジャズ", "東京ジャズ"),
        ("Fête de la musique", "fête-de-la-musique"),
        ("Party 🎉 night", "party-night"),
    ],
)
def test_unicode_title_gets_working_page(client, make_event, title, slug):
    event = make_event(title=title)

    assert event.slug == slug
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert title in response.content.decode()


def test_emoji_only_title_gets_slug(client, make_event):
    event = make_event(title="🎉🎶")

    assert event.slug == "event"
    assert client.get(event.get_absolute_url()).status_code == 200


def test_unicode_slug_passes_model_validation(make_event):
    event = make_event(title="Вечер джаза")

    event.full_clean()


def test_same_title_gets_distinct_slugs(make_event):
    first = make_event(title="Jazz")
    second = make_event(title="Jazz")

    assert first.slug == "jazz"
    assert second.slug.startswith("jazz-")
    assert second.slug != first.slug


def test_ticket_type_without_price_prefix_uses_code(client, make_event):
    event = make_event()
    TicketType.objects.filter(event=event).update(price="12.50")
    Event.objects.filter(pk=event.pk).update(currency="XOF")

    assert "XOF 12.50" in client.get(event.get_absolute_url()).content.decode()


def test_detail_input_max_is_seats_left(client, make_event, user):
    event = make_event(types=(("Regular", "5000.00", 8), ("VIP", "9000.00", 50)))
    regular, vip = event.ticket_types.order_by("sort_order")
    sell(regular, user, 5)

    html = client.get(event.get_absolute_url()).content.decode()

    assert re.search(rf'name="qty_{regular.pk}" value="0" min="0" max="3"', html)
    assert re.search(rf'name="qty_{vip.pk}" value="0" min="0" max="10"', html)


def test_detail_input_max_is_event_capacity(client, make_event, user):
    event = make_event(capacity=10, types=(("Regular", "5000.00", 50),))
    regular = event.ticket_types.get()
    sell(regular, user, 8)

    html = client.get(event.get_absolute_url()).content.decode()

    assert re.search(rf'name="qty_{regular.pk}" value="0" min="0" max="2"', html)


def test_card_free_event(client, make_event):
    make_event(types=(("Free entry", "0.00", 100),))

    html = client.get(HOME).content.decode()

    assert '<p class="price">Free</p>' in html
    assert "₦0.00" not in html


def test_card_free_and_paid(client, make_event):
    make_event(types=(("VIP", "20000.00", 5), ("Free entry", "0.00", 100)))

    html = client.get(LIST).content.decode()

    assert '<p class="price">Free and paid tickets</p>' in html
    assert "₦0.00" not in html


def test_card_from_lowest_price(client, make_event):
    make_event(types=(("VIP", "20000.00", 5), ("Regular", "5000.00", 10)))

    assert "From ₦5,000.00" in client.get(HOME).content.decode()


def test_detail_free_type(client, make_event):
    event = make_event(types=(("Free entry", "0.00", 100), ("VIP", "20000.00", 5)))

    html = client.get(event.get_absolute_url()).content.decode()

    assert '<td class="price" data-label="Price">Free</td>' in html
    assert "₦0.00" not in html
    assert "₦20,000.00" in html
