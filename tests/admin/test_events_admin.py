"""The events changelist's sales columns and actions, and the change page's guards on sold seats."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event, TicketType
from payments.models import Order, OrderLine
from tests.admin.conftest import change_form_data

CHANGELIST = "/admin/events/event/"


def change_url(event):
    return f"{CHANGELIST}{event.pk}/change/"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


def test_changelist_queries_do_not_grow(login, alice, make_event, make_order):
    client = login(alice)
    for index in range(2):
        make_order(make_event(organiser=alice, title=f"Small {index}"))
    few_queries, few_rows = changelist_queries(client)
    for index in range(20):
        make_order(make_event(organiser=alice, title=f"Large {index}"))
    many_queries, many_rows = changelist_queries(client)
    assert (few_rows, many_rows) == (2, 22)
    assert many_queries == few_queries


def test_changelist_query_count_bounded(login, alice, make_event, make_order, django_assert_max_num_queries):
    for index in range(30):
        make_order(make_event(organiser=alice, title=f"Event {index}"))
    client = login(alice)
    with django_assert_max_num_queries(15):
        client.get(CHANGELIST)


def test_changelist_sales_columns(login, alice, alice_event, make_order):
    make_order(alice_event, quantity=3)
    make_order(alice_event, quantity=2, status=Order.Status.PENDING)
    make_order(alice_event, quantity=4, status=Order.Status.EXPIRED)
    row = login(alice).get(CHANGELIST).context["cl"].result_list[0]
    assert row.sold_count == 3
    assert row.held_count == 2
    assert row.revenue_minor == 3 * 500000
    # 50 Regular + 10 VIP seats, minus 3 sold and 2 held; the expired order frees its 4.
    from events.sales_selectors import remaining_seats

    assert remaining_seats(row) == 55


def test_changelist_shows_revenue(login, alice, alice_event, make_order):
    make_order(alice_event, quantity=3)
    text = login(alice).get(CHANGELIST).content.decode()
    assert "₦15,000.00" in text


def test_remaining_respects_event_capacity(login, alice, make_event, make_order):
    event = make_event(organiser=alice, capacity=5, types=(("Regular", "1000.00", 50),))
    make_order(event, quantity=2)
    row = login(alice).get(CHANGELIST).context["cl"].result_list[0]
    from events.sales_selectors import remaining_seats

    assert remaining_seats(row) == 3


def test_revenue_totals_per_currency(login, root, make_event, make_order, alice, bob):
    make_order(make_event(organiser=alice, currency="NGN"), quantity=1)
    make_order(make_event(organiser=bob, currency="GHS", types=(("Regular", "12.50", 10),)), quantity=2)
    response = login(root).get(CHANGELIST)
    assert response.context["revenue_totals"] == ["GH₵25.00", "₦5,000.00"]


def test_filter_by_status(login, alice, make_event):
    make_event(organiser=alice, title="On sale")
    make_event(organiser=alice, title="Draft one", status=Event.Status.DRAFT)
    response = login(alice).get(CHANGELIST, {"status__exact": "draft"})
    assert [event.title for event in response.context["cl"].result_list] == ["Draft one"]


def test_filter_by_date(login, alice, make_event):
    make_event(organiser=alice, title="Soon", days=3)
    make_event(organiser=alice, title="Later", days=60)
    response = login(alice).get(CHANGELIST, {"when": "next_7_days"})
    assert [event.title for event in response.context["cl"].result_list] == ["Soon"]


def test_publish_action(login, alice, make_event):
    draft = make_event(organiser=alice, status=Event.Status.DRAFT)
    response = login(alice).post(CHANGELIST, {"action": "publish_events", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Event.Status.PUBLISHED
    assert "1 event published." in messages_of(response)


def test_publish_without_ticket_types_refused(login, alice, make_event):
    draft = make_event(organiser=alice, status=Event.Status.DRAFT, types=())
    response = login(alice).post(CHANGELIST, {"action": "publish_events", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT
    assert any("no ticket types" in message for message in messages_of(response))


def test_publish_cancelled_refused(login, alice, make_event):
    cancelled = make_event(organiser=alice, status=Event.Status.CANCELLED)
    login(alice).post(CHANGELIST, {"action": "publish_events", "_selected_action": [cancelled.pk]})
    cancelled.refresh_from_db()
    assert cancelled.status == Event.Status.CANCELLED


def test_unpublish_action(login, alice, alice_event):
    login(alice).post(CHANGELIST, {"action": "unpublish_events", "_selected_action": [alice_event.pk]})
    alice_event.refresh_from_db()
    assert alice_event.status == Event.Status.DRAFT


def test_publish_from_change_page(login, alice, make_event):
    draft = make_event(organiser=alice, status=Event.Status.DRAFT)
    response = login(alice).post(change_url(draft), {
        "CHANGE_FORM-action": "publish_events", "_selected_action": [draft.pk],
    })
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Event.Status.PUBLISHED


def test_status_not_editable_on_change_page(login, alice, alice_event):
    client = login(alice)
    data = change_form_data(client.get(change_url(alice_event)))
    data["status"] = Event.Status.CANCELLED
    response = client.post(change_url(alice_event), data)
    assert response.status_code == 302
    alice_event.refresh_from_db()
    assert alice_event.status == Event.Status.PUBLISHED


def test_change_page_shows_sales_per_type(login, alice, alice_event, make_order):
    make_order(alice_event, quantity=3)
    response = login(alice).get(change_url(alice_event))
    [inline] = response.context["inline_admin_formsets"]
    regular = next(form.instance for form in inline.formset.forms if form.instance.name == "Regular")
    assert (regular.sold_count, regular.held_count, regular.revenue) == (3, 0, Decimal("15000.00"))
    assert "₦15,000.00" in response.content.decode()


def ticket_type_prefix(data, name):
    """Return the inline form prefix ("ticket_types-0") of the ticket type called `name`."""
    for key, value in data.items():
        if key.endswith("-name") and value == name:
            return key.removesuffix("-name")
    raise AssertionError(f"no inline form for {name}")


def test_type_capacity_below_sold_refused(login, alice, alice_event, make_order):
    make_order(alice_event, quantity=3)
    make_order(alice_event, quantity=2, status=Order.Status.PENDING)
    client = login(alice)
    data = change_form_data(client.get(change_url(alice_event)))
    data[ticket_type_prefix(data, "Regular") + "-capacity"] = "4"
    response = client.post(change_url(alice_event), data)
    assert response.status_code == 200
    assert "cannot be lower than 5: 3 sold and 2 held" in response.content.decode()
    assert TicketType.objects.get(event=alice_event, name="Regular").capacity == 50


def test_type_capacity_down_to_sold_allowed(login, alice, alice_event, make_order):
    make_order(alice_event, quantity=3)
    client = login(alice)
    data = change_form_data(client.get(change_url(alice_event)))
    data[ticket_type_prefix(data, "Regular") + "-capacity"] = "3"
    assert client.post(change_url(alice_event), data).status_code == 302
    assert TicketType.objects.get(event=alice_event, name="Regular").capacity == 3


def test_event_capacity_below_sold_refused(login, alice, alice_event, make_order):
    make_order(alice_event, quantity=3)
    client = login(alice)
    data = change_form_data(client.get(change_url(alice_event)))
    data["capacity"] = "2"
    response = client.post(change_url(alice_event), data)
    assert response.status_code == 200
    assert "cannot be lower than 3" in response.content.decode()
    alice_event.refresh_from_db()
    assert alice_event.capacity is None


def test_currency_change_after_orders_refused(login, alice, alice_event, make_order):
    make_order(alice_event)
    client = login(alice)
    data = change_form_data(client.get(change_url(alice_event)))
    data["currency"] = "USD"
    response = client.post(change_url(alice_event), data)
    assert response.status_code == 200
    alice_event.refresh_from_db()
    assert alice_event.currency == "NGN"


def test_price_change_keeps_sold_prices(login, alice, alice_event, make_order):
    order = make_order(alice_event, quantity=2)
    client = login(alice)
    data = change_form_data(client.get(change_url(alice_event)))
    data[ticket_type_prefix(data, "Regular") + "-price"] = "7500.00"
    response = client.post(change_url(alice_event), data)
    assert response.status_code == 302
    assert TicketType.objects.get(event=alice_event, name="Regular").price == Decimal("7500.00")
    line = OrderLine.objects.get(order=order)
    order.refresh_from_db()
    assert line.unit_price == Decimal("5000.00")
    assert order.total_minor == 1000000
    assert any("applies to new orders only" in message for message in messages_of(response))


def test_sold_ticket_type_delete_refused(login, alice, alice_event, make_order):
    make_order(alice_event)
    client = login(alice)
    data = change_form_data(client.get(change_url(alice_event)))
    data[ticket_type_prefix(data, "Regular") + "-DELETE"] = "on"
    response = client.post(change_url(alice_event), data)
    assert response.status_code == 200
    assert "has orders and cannot be deleted" in response.content.decode()
    assert TicketType.objects.filter(event=alice_event, name="Regular").exists()


def test_unsold_ticket_type_delete_allowed(login, alice, alice_event, make_order):
    make_order(alice_event)
    client = login(alice)
    data = change_form_data(client.get(change_url(alice_event)))
    data[ticket_type_prefix(data, "VIP") + "-DELETE"] = "on"
    assert client.post(change_url(alice_event), data).status_code == 302
    assert not TicketType.objects.filter(event=alice_event, name="VIP").exists()


def test_event_with_orders_delete_refused(login, alice, alice_event, make_order):
    make_order(alice_event)
    client = login(alice)
    assert client.get(f"{CHANGELIST}{alice_event.pk}/delete/").status_code == 403
    assert client.post(f"{CHANGELIST}{alice_event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=alice_event.pk).exists()


def test_event_bulk_delete_with_orders_refused(login, alice, alice_event, make_order):
    make_order(alice_event)
    login(alice).post(CHANGELIST, {"action": "delete_selected", "_selected_action": [alice_event.pk], "post": "yes"})
    assert Event.objects.filter(pk=alice_event.pk).exists()
    assert TicketType.objects.filter(event=alice_event).count() == 2


def test_event_without_orders_delete_allowed(login, alice, alice_event):
    response = login(alice).post(f"{CHANGELIST}{alice_event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=alice_event.pk).exists()


def test_new_event_in_past_refused(login, alice):
    past = timezone.localtime() - timedelta(days=1)
    response = login(alice).post("/admin/events/event/add/", {
        "title": "Yesterday", "slug": "yesterday", "location": "Lagos",
        "starts_at_0": past.date().isoformat(), "starts_at_1": "19:00:00", "time_zone": "Africa/Lagos",
        "currency": "NGN", "ticket_types-TOTAL_FORMS": "0", "ticket_types-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    assert not Event.objects.filter(slug="yesterday").exists()


@pytest.mark.parametrize("path", ["", "add/"])
def test_organiser_field_hidden_from_organisers(login, alice, path):
    response = login(alice).get(CHANGELIST + path)
    assert response.status_code == 200
    if path:
        assert "organiser" not in response.context["adminform"].form.fields


def test_revenue_totals_joined_with_comma(login, root, make_event, make_order, alice, bob):
    make_order(make_event(organiser=alice, currency="NGN"), quantity=1)
    make_order(make_event(organiser=bob, currency="KES", types=(("Regular", "1500.00", 10),)), quantity=2)
    text = login(root).get(CHANGELIST).content.decode()
    assert "<strong>KSh3,000.00, ₦5,000.00</strong>" in text
