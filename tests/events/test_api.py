"""The events API: public list and detail, and event creation for organisers."""
import datetime
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event, TicketType

pytestmark = pytest.mark.django_db

EVENTS = "/api/events/"


def short_form(**overrides):
    data = {
        "title": "Launch party",
        "date": (timezone.now() + timedelta(days=30)).isoformat(),
        "location": "Lagos",
        "ticket_price": "5000",
    }
    data.update(overrides)
    return data


def full_form(**overrides):
    data = {
        "title": "Tech Summit",
        "date": (timezone.now() + timedelta(days=30)).isoformat(),
        "location": "Accra",
        "currency": "GHS",
        "ticket_types": [
            {"name": "Standard", "price": "350.00", "capacity": 500},
            {"name": "Student", "price": "100.00", "capacity": 100, "max_per_order": 2},
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture
def organiser_client(auth_client, organiser):
    return auth_client(organiser)


def assert_nothing_written():
    assert not Event.objects.exists()
    assert not TicketType.objects.exists()


def test_list_is_public_and_paginated(api_client, make_event):
    make_event(title="Published")

    response = api_client.get(EVENTS)

    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert body["count"] == 1
    assert body["results"][0]["title"] == "Published"


def test_list_hides_drafts_cancelled_and_past(api_client, make_event):
    make_event(title="Published")
    make_event(title="Draft", status=Event.Status.DRAFT)
    make_event(title="Cancelled", status=Event.Status.CANCELLED)
    make_event(title="Past", starts_at=timezone.now() - timedelta(hours=1))

    results = api_client.get(EVENTS).json()["results"]

    assert [item["title"] for item in results] == ["Published"]


def test_list_second_page(api_client, make_event):
    for number in range(22):
        make_event(title=f"Event {number:02}", days=number + 1)

    first = api_client.get(EVENTS).json()
    second = api_client.get(first["next"]).json()

    assert first["count"] == 22
    assert len(first["results"]) == 20
    assert [item["title"] for item in second["results"]] == ["Event 20", "Event 21"]


def test_list_search(api_client, make_event):
    make_event(title="Lagos Jazz Night")
    make_event(title="Book Fair", location="Abuja")

    results = api_client.get(EVENTS, {"search": "abuja"}).json()["results"]

    assert [item["title"] for item in results] == ["Book Fair"]


def test_list_date_filter(api_client, make_event):
    make_event(title="Soon", days=2)
    make_event(title="Later", days=30)
    middle = (timezone.now() + timedelta(days=10)).date().isoformat()

    assert [e["title"] for e in api_client.get(EVENTS, {"date_from": middle}).json()["results"]] == ["Later"]
    assert [e["title"] for e in api_client.get(EVENTS, {"date_to": middle}).json()["results"]] == ["Soon"]


def test_list_bad_date_filter_is_400(api_client, event):
    response = api_client.get(EVENTS, {"date_from": "soon"})

    assert response.status_code == 400
    assert response.json()["date_from"]


def test_list_reversed_dates_is_400(api_client, event):
    response = api_client.get(EVENTS, {"date_from": "2030-02-01", "date_to": "2030-01-01"})

    assert response.status_code == 400
    assert response.json()["date_to"]


def test_list_overlong_search_is_400(api_client, event):
    assert api_client.get(EVENTS, {"search": "x" * 101}).status_code == 400


def test_list_bad_page_is_404(api_client, event):
    assert api_client.get(EVENTS, {"page": 9}).status_code == 404


def test_detail_has_ticket_types(api_client, make_event):
    event = make_event(types=(("Regular", "5000.00", 12), ("VIP", "20000.00", 0)))

    response = api_client.get(f"{EVENTS}{event.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == event.pk
    types = body["ticket_types"]
    assert [t["name"] for t in types] == ["Regular", "VIP"]
    assert types[0] == types[0] | {"price": "5000.00", "currency": "NGN", "available": 12}
    assert types[1]["available"] == 0
    assert body["ticket_price"] == "5000.00"


def test_detail_of_draft_is_404(api_client, make_event):
    event = make_event(status=Event.Status.DRAFT)

    assert api_client.get(f"{EVENTS}{event.pk}/").status_code == 404


def test_detail_of_draft_visible_to_its_organiser(auth_client, organiser, make_event):
    event = make_event(status=Event.Status.DRAFT)

    assert auth_client(organiser).get(f"{EVENTS}{event.pk}/").status_code == 200


def test_detail_of_draft_hidden_from_other_organiser(auth_client, make_user, make_event):
    event = make_event(status=Event.Status.DRAFT)
    other = make_user("other-organiser", organiser=True)

    assert auth_client(other).get(f"{EVENTS}{event.pk}/").status_code == 404


def test_detail_of_unknown_is_404(api_client, db):
    response = api_client.get(f"{EVENTS}999999/")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_create_anonymous_is_401(api_client, db):
    response = api_client.post(EVENTS, short_form(), format="json")

    assert response.status_code == 401
    assert_nothing_written()


def test_create_attendee_is_403(auth_client, user):
    response = auth_client(user).post(EVENTS, short_form(), format="json")

    assert response.status_code == 403
    assert_nothing_written()


def test_create_staff_without_group_is_403(auth_client, make_user):
    staff = make_user("staff", is_staff=True)

    assert auth_client(staff).post(EVENTS, short_form(), format="json").status_code == 403


def test_create_short_form(organiser_client, organiser):
    response = organiser_client.post(EVENTS, short_form(capacity=250, description="Bring friends."), format="json")

    assert response.status_code == 201, response.content
    event = Event.objects.get()
    assert event.status == Event.Status.PUBLISHED
    assert event.organiser == organiser
    assert event.currency == "NGN"
    assert event.description == "Bring friends."
    ticket_type = event.ticket_types.get()
    assert ticket_type.name == "General admission"
    assert ticket_type.price == Decimal("5000.00")
    assert ticket_type.capacity == 250
    assert response.json()["id"] == event.pk
    assert response.json()["slug"] == "launch-party"


def test_create_short_form_default_capacity(organiser_client):
    organiser_client.post(EVENTS, short_form(), format="json")

    assert TicketType.objects.get().capacity == 100


def test_create_short_form_form_encoded(organiser_client):
    response = organiser_client.post(EVENTS, short_form())

    assert response.status_code == 201
    assert Event.objects.count() == 1


def test_create_appears_in_public_list(organiser_client, api_client):
    organiser_client.post(EVENTS, short_form(), format="json")

    assert api_client.get(EVENTS).json()["count"] == 1


def test_create_full_form(organiser_client):
    response = organiser_client.post(EVENTS, full_form(capacity=550), format="json")

    assert response.status_code == 201, response.content
    event = Event.objects.get()
    assert event.currency == "GHS"
    assert event.capacity == 550
    assert list(event.ticket_types.values_list("name", "price", "max_per_order")) == [
        ("Standard", Decimal("350.00"), 10),
        ("Student", Decimal("100.00"), 2),
    ]


def test_create_draft(organiser_client, api_client):
    response = organiser_client.post(EVENTS, short_form(status="draft"), format="json")

    assert response.status_code == 201
    assert Event.objects.get().status == Event.Status.DRAFT
    assert api_client.get(EVENTS).json()["count"] == 0


def test_create_naive_date_in_event_zone(organiser_client):
    organiser_client.post(
        EVENTS, short_form(date="2030-01-10T19:00:00", time_zone="Africa/Lagos"), format="json",
    )

    assert Event.objects.get().starts_at == datetime.datetime(2030, 1, 10, 18, 0, tzinfo=datetime.UTC)


def test_create_bare_date_is_local_midnight(organiser_client):
    organiser_client.post(EVENTS, short_form(date="2030-01-10", time_zone="Asia/Tokyo"), format="json")

    assert Event.objects.get().starts_at == datetime.datetime(2030, 1, 9, 15, 0, tzinfo=datetime.UTC)


def test_create_with_offset_keeps_instant(organiser_client):
    organiser_client.post(EVENTS, short_form(date="2030-03-01T19:00:00+01:00"), format="json")

    assert Event.objects.get().starts_at == datetime.datetime(2030, 3, 1, 18, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize("date", [
    "2031-01-01T10:00:00+0500",
    "2031-01-01T10:00:00+05:00",
    "2031-01-01T10:00:00+05",
    "2031-01-01T05:00:00Z",
    "2031-01-01T05:00:00+00:00",
])
def test_create_offset_forms_keep_instant(organiser_client, date):
    response = organiser_client.post(EVENTS, short_form(date=date, time_zone="America/New_York"), format="json")

    assert response.status_code == 201, response.content
    assert Event.objects.get().starts_at == datetime.datetime(2031, 1, 1, 5, 0, tzinfo=datetime.UTC)


def test_create_naive_ends_at_in_event_zone(organiser_client):
    data = short_form(date="2031-01-01T10:00:00+0500", ends_at="2031-01-01T20:00:00", time_zone="Asia/Tokyo")

    organiser_client.post(EVENTS, data, format="json")

    assert Event.objects.get().ends_at == datetime.datetime(2031, 1, 1, 11, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"date": "9999-12-31T23:30:00"}, "date", "The event must start within 10 years."),
    ({"date": "9999-12-31"}, "date", "The event must start within 10 years."),
    ({"date": "9999-12-31T23:30:00-05:00"}, "date", None),
    ({"starts_at": "9999-12-31T23:30:00"}, "date", "The event must start within 10 years."),
    ({"date": (timezone.now() + timedelta(days=3660)).isoformat()}, "date", "The event must start within 10 years."),
    ({"ends_at": "9999-12-31T23:30:00"}, "ends_at", "The event must end within 10 years."),
    ({"ends_at": (timezone.now() + timedelta(days=3660)).isoformat()}, "ends_at", "The event must end within 10 years."),
])
def test_create_far_future_is_400(organiser_client, overrides, field, message):
    data = short_form(time_zone="America/New_York", **overrides)
    if "starts_at" in overrides:
        del data["date"]

    response = organiser_client.post(EVENTS, data, format="json")

    assert response.status_code == 400, response.content
    assert response.json()[field]
    if message:
        assert response.json()[field] == [message]
    assert_nothing_written()


def test_create_nine_years_ahead_accepted(organiser_client):
    date = (timezone.now() + timedelta(days=9 * 365)).isoformat()

    assert organiser_client.post(EVENTS, short_form(date=date), format="json").status_code == 201


def test_create_unicode_title(organiser_client, client):
    response = organiser_client.post(EVENTS, short_form(title="Вечер джаза 🎷"), format="json")

    assert response.status_code == 201
    event = Event.objects.get()
    assert event.slug == "вечер-джаза"
    assert client.get(event.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": "2001-01-01T10:00:00Z"}, "date"),
        ({"date": (timezone.now() - timedelta(minutes=1)).isoformat()}, "date"),
        ({"date": "tomorrow"}, "date"),
        ({"date": "2030-02-30"}, "date"),
        ({"ticket_price": "-1"}, "ticket_price"),
        ({"ticket_price": "-0.01"}, "ticket_price"),
        ({"ticket_price": "NaN"}, "ticket_price"),
        ({"ticket_price": "Infinity"}, "ticket_price"),
        ({"ticket_price": "-Infinity"}, "ticket_price"),
        ({"ticket_price": "1e400"}, "ticket_price"),
        ({"ticket_price": "12.345"}, "ticket_price"),
        ({"ticket_price": "free"}, "ticket_price"),
        ({"ticket_price": "100000000000"}, "ticket_price"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "ngn"}, "currency"),
        ({"currency": ""}, "currency"),
        ({"capacity": -1}, "capacity"),
        ({"capacity": "many"}, "capacity"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"location": ""}, "location"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"status": "cancelled"}, "status"),
    ],
)
def test_create_rejects_bad_input(organiser_client, overrides, field):
    response = organiser_client.post(EVENTS, short_form(**overrides), format="json")

    assert response.status_code == 400, response.content
    assert response.json()[field]
    assert_nothing_written()


@pytest.mark.parametrize("field", ["title", "date", "location", "ticket_price"])
def test_create_requires_field(organiser_client, field):
    data = short_form()
    del data[field]

    response = organiser_client.post(EVENTS, data, format="json")

    assert response.status_code == 400
    assert response.json()[field]
    assert_nothing_written()


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_create_rejects_non_finite_json_number(organiser_client, literal):
    body = json.dumps(short_form(ticket_price=0)).replace('"ticket_price": 0', f'"ticket_price": {literal}')

    response = organiser_client.post(EVENTS, body, content_type="application/json")

    assert response.status_code == 400
    assert_nothing_written()


def test_create_rejects_both_price_forms(organiser_client):
    response = organiser_client.post(EVENTS, full_form(ticket_price="10"), format="json")

    assert response.status_code == 400
    assert response.json()["ticket_price"]
    assert_nothing_written()


def test_create_ends_before_start_is_400(organiser_client):
    data = short_form(date="2030-01-10T19:00:00Z", ends_at="2030-01-10T18:00:00Z")

    response = organiser_client.post(EVENTS, data, format="json")

    assert response.status_code == 400
    assert response.json()["ends_at"]
    assert_nothing_written()


@pytest.mark.parametrize(
    "ticket_types",
    [
        [],
        [{"name": "A", "price": "-5", "capacity": 1}],
        [{"name": "A", "price": "NaN", "capacity": 1}],
        [{"name": "A", "price": "5", "capacity": -1}],
        [{"name": "A", "price": "5", "capacity": 1, "max_per_order": 0}],
        [{"name": "A", "price": "5"}],
        [{"name": "", "price": "5", "capacity": 1}],
        [{"name": "A", "price": "5", "capacity": 1}, {"name": "a ", "price": "6", "capacity": 1}],
        ["not an object"],
    ],
)
def test_create_rejects_bad_ticket_types(organiser_client, ticket_types):
    response = organiser_client.post(EVENTS, full_form(ticket_types=ticket_types), format="json")

    assert response.status_code == 400, response.content
    assert response.json()["ticket_types"]
    assert_nothing_written()


def test_create_rejects_non_object_body(organiser_client):
    response = organiser_client.post(EVENTS, [short_form()], format="json")

    assert response.status_code == 400
    assert_nothing_written()


def test_create_rejects_malformed_json(organiser_client):
    response = organiser_client.post(EVENTS, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert_nothing_written()


def test_create_ignores_organiser_field(organiser_client, organiser, make_user):
    other = make_user("someone-else")

    organiser_client.post(EVENTS, short_form(organiser=other.pk), format="json")

    assert Event.objects.get().organiser == organiser


def test_list_q_is_search(api_client, make_event):
    make_event(title="Lagos Jazz Night")
    make_event(title="Book Fair", location="Abuja")

    results = api_client.get(EVENTS, {"q": "jazz"}).json()["results"]

    assert [item["title"] for item in results] == ["Lagos Jazz Night"]


def test_list_q_and_search_agree(api_client, make_event):
    make_event(title="Lagos Jazz Night")
    make_event(title="Book Fair", location="Abuja")

    results = api_client.get(EVENTS, {"q": "jazz", "search": "jazz"}).json()["results"]

    assert [item["title"] for item in results] == ["Lagos Jazz Night"]


def test_list_q_and_search_differ_is_400(api_client, event):
    response = api_client.get(EVENTS, {"q": "jazz", "search": "book"})

    assert response.status_code == 400
    assert response.json()["q"]


def test_list_overlong_q_is_400(api_client, event):
    assert api_client.get(EVENTS, {"q": "x" * 101}).status_code == 400


def test_schema_documents_q(api_client, db):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    parameters = schema["paths"]["/api/events/"]["get"]["parameters"]

    assert "q" in [parameter["name"] for parameter in parameters]


def test_list_queries_do_not_grow(api_client, make_event):
    """Seat counts for a page of events come from a fixed number of queries, not one per event."""
    make_event(title="First", capacity=50)
    with CaptureQueriesContext(connection) as few:
        assert api_client.get("/api/events/").status_code == 200
    for number in range(8):
        make_event(title=f"Event {number}", capacity=50 if number % 2 else None)
    with CaptureQueriesContext(connection) as many:
        response = api_client.get("/api/events/")
    assert response.json()["count"] == 9
    assert len(many.captured_queries) == len(few.captured_queries)


def test_list_availability_matches_detail(api_client, make_event):
    event = make_event(types=(("Regular", "10.00", 30), ("VIP", "50.00", 10)), capacity=25)
    listed = next(item for item in api_client.get("/api/events/").json()["results"] if item["id"] == event.pk)
    detail = api_client.get(f"/api/events/{event.pk}/").json()
    assert listed["ticket_types"] == detail["ticket_types"]
    assert [item["available"] for item in detail["ticket_types"]] == [25, 10]
