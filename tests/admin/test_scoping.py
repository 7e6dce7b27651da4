"""Scoping: an organiser reaches only their own events and what depends on them, a superuser reaches all."""
import pytest
from django.contrib.admin.models import LogEntry

from events.models import Event
from payments.models import Order, Payment
from tickets.models import Ticket

CHANGELISTS = {
    "event": "/admin/events/event/",
    "order": "/admin/payments/order/",
    "payment": "/admin/payments/payment/",
    "ticket": "/admin/tickets/ticket/",
}


@pytest.fixture
def two_shops(alice_event, bob_event, make_order):
    """One paid order on each organiser's event."""
    return {"alice": make_order(alice_event), "bob": make_order(bob_event)}


def objects_of(order):
    """Return each admin-visible object of an order's event, keyed like CHANGELISTS."""
    return {
        "event": order.event,
        "order": order,
        "payment": Payment.objects.get(order=order),
        "ticket": Ticket.objects.filter(order_line__order=order).first(),
    }


def change_url(model, obj):
    return f"{CHANGELISTS[model]}{obj.pk}/change/"


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelist_lists_own_rows_only(login, alice, two_shops, model):
    response = login(alice).get(CHANGELISTS[model])
    assert response.status_code == 200
    listed = set(response.context["cl"].result_list)
    assert objects_of(two_shops["alice"])[model] in listed
    assert objects_of(two_shops["bob"])[model] not in listed


@pytest.mark.parametrize("model", CHANGELISTS)
def test_superuser_sees_every_organiser(login, root, two_shops, model):
    response = login(root).get(CHANGELISTS[model])
    listed = set(response.context["cl"].result_list)
    assert objects_of(two_shops["alice"])[model] in listed
    assert objects_of(two_shops["bob"])[model] in listed


@pytest.mark.parametrize("model", CHANGELISTS)
def test_other_organisers_object_is_404(login, alice, two_shops, model):
    client = login(alice)
    assert client.get(change_url(model, objects_of(two_shops["bob"])[model])).status_code == 404
    assert client.get(change_url(model, objects_of(two_shops["alice"])[model])).status_code == 200


@pytest.mark.parametrize("model", CHANGELISTS)
def test_other_organisers_object_same_as_missing(login, alice, two_shops, model):
    client = login(alice)
    foreign = client.get(change_url(model, objects_of(two_shops["bob"])[model]))
    missing = client.get(f"{CHANGELISTS[model]}999999/change/")
    assert foreign.status_code == missing.status_code == 404


@pytest.mark.parametrize("model", ["event", "order"])
def test_history_of_other_organisers_object_is_404(login, alice, two_shops, model):
    obj = objects_of(two_shops["bob"])[model]
    assert login(alice).get(f"{CHANGELISTS[model]}{obj.pk}/history/").status_code == 404


def test_event_delete_page_of_other_organiser_is_404(login, alice, bob_event):
    assert login(alice).get(f"/admin/events/event/{bob_event.pk}/delete/").status_code == 404


def test_search_finds_no_other_organisers_order(login, alice, two_shops):
    number = two_shops["bob"].number
    response = login(alice).get(CHANGELISTS["order"], {"q": number})
    assert list(response.context["cl"].result_list) == []


def test_ticket_search_finds_no_other_organisers_ticket(login, alice, two_shops):
    code = objects_of(two_shops["bob"])["ticket"].code
    response = login(alice).get(CHANGELISTS["ticket"], {"q": code})
    assert list(response.context["cl"].result_list) == []


def test_autocomplete_lists_own_events_only(login, alice, alice_event, bob_event):
    response = login(alice).get(
        "/admin/autocomplete/", {"app_label": "payments", "model_name": "order", "field_name": "event", "term": ""},
    )
    assert response.status_code == 200
    ids = {int(result["id"]) for result in response.json()["results"]}
    assert ids == {alice_event.pk}


def test_event_filter_lists_own_events_only(login, alice, two_shops):
    response = login(alice).get(CHANGELISTS["ticket"])
    titles = response.content.decode()
    assert "Alice Jazz Night" in titles
    assert "Bob Comedy Club" not in titles


def test_publish_action_ignores_other_organisers_event(login, alice, make_event, bob):
    foreign = make_event(organiser=bob, status=Event.Status.DRAFT, title="Bob Draft")
    response = login(alice).post(
        CHANGELISTS["event"], {"action": "publish_events", "_selected_action": [foreign.pk]},
    )
    assert response.status_code == 302
    foreign.refresh_from_db()
    assert foreign.status == Event.Status.DRAFT


def test_cancel_action_ignores_other_organisers_order(login, alice, two_shops):
    foreign = two_shops["bob"]
    login(alice).post(
        CHANGELISTS["order"], {"action": "cancel_orders", "_selected_action": [foreign.pk], "confirmed": "yes"},
    )
    foreign.refresh_from_db()
    assert foreign.status == Order.Status.PAID


def test_check_in_action_ignores_other_organisers_ticket(login, alice, two_shops):
    foreign = objects_of(two_shops["bob"])["ticket"]
    login(alice).post(CHANGELISTS["ticket"], {"action": "check_in_tickets", "_selected_action": [foreign.pk]})
    foreign.refresh_from_db()
    assert foreign.status == Ticket.Status.VALID


def test_csv_export_of_other_organisers_event_is_404(login, alice, two_shops):
    bob_event = two_shops["bob"].event
    response = login(alice).get("/admin/tickets/ticket/export/", {"event": bob_event.pk})
    assert response.status_code == 404


def test_csv_export_without_event_lists_own_tickets(login, alice, two_shops):
    response = login(alice).get("/admin/tickets/ticket/export/")
    text = response.content.decode()
    assert two_shops["alice"].number in text
    assert two_shops["bob"].number not in text


def test_event_filter_lists_both_events_for_superuser(login, root, two_shops):
    text = login(root).get(CHANGELISTS["ticket"]).content.decode()
    assert "Alice Jazz Night" in text
    assert "Bob Comedy Club" in text


def test_event_created_by_organiser_belongs_to_them(login, alice, bob):
    response = login(alice).post("/admin/events/event/add/", {
        "title": "Alice Poetry", "slug": "alice-poetry", "location": "Lagos", "description": "",
        "starts_at_0": "2030-01-10", "starts_at_1": "19:00:00", "time_zone": "Africa/Lagos", "currency": "NGN",
        # A forged organiser field must be ignored.
        "organiser": bob.pk,
        "ticket_types-TOTAL_FORMS": "1", "ticket_types-INITIAL_FORMS": "0",
        "ticket_types-0-name": "Regular", "ticket_types-0-price": "1000", "ticket_types-0-capacity": "10",
        "ticket_types-0-max_per_order": "5", "ticket_types-0-sort_order": "0",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = Event.objects.get(slug="alice-poetry")
    assert event.organiser == alice
    assert event.ticket_types.count() == 1


def test_ticket_type_inline_cannot_move_to_other_event(login, alice, alice_event, bob_event):
    """The inline's event comes from the parent URL, never from posted data."""
    response = login(alice).get(f"/admin/events/event/{alice_event.pk}/change/")
    assert response.status_code == 200
    assert str(bob_event.title) not in response.content.decode()


def test_actions_leave_log_entries(login, alice, make_event):
    draft = make_event(organiser=alice, status=Event.Status.DRAFT, title="Alice Draft")
    login(alice).post(CHANGELISTS["event"], {"action": "publish_events", "_selected_action": [draft.pk]})
    entry = LogEntry.objects.get(object_id=str(draft.pk), content_type__model="event")
    assert entry.user == alice
    assert "Published" in entry.get_change_message()
