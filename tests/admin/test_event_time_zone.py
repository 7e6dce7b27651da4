"""The event change form reads and shows date-times in the event's own time zone, not in UTC."""
from datetime import UTC, datetime

import pytest

from events.models import Event, TicketType
from tests.admin.conftest import change_form_data, rendered_value

CHANGELIST = "/admin/events/event/"
ADD = f"{CHANGELIST}add/"

# Africa/Lagos is UTC+1 and Africa/Nairobi UTC+3, all year: neither has daylight saving time.
SEVEN_PM_LAGOS_IN_UTC = datetime(2030, 1, 10, 18, 0, tzinfo=UTC)


def change_url(event):
    return f"{CHANGELIST}{event.pk}/change/"


@pytest.fixture
def lagos_event(make_event, alice):
    """Return an event at 18:00 in Lagos (17:00 UTC) whose Regular tickets go on sale at 09:00 there."""
    event = make_event(
        organiser=alice, title="Lagos Jazz Night", time_zone="Africa/Lagos",
        starts_at=datetime(2030, 1, 10, 17, 0, tzinfo=UTC), types=(("Regular", "5000.00", 50),),
    )
    TicketType.objects.filter(event=event).update(sales_start=datetime(2030, 1, 1, 8, 0, tzinfo=UTC))
    return event


def new_event_data(**fields):
    return {
        "title": "Accra Highlife", "slug": "accra-highlife", "location": "Lagos", "currency": "NGN",
        "starts_at_0": "2030-01-10", "starts_at_1": "19:00:00", "time_zone": "Africa/Lagos",
        "ticket_types-TOTAL_FORMS": "0", "ticket_types-INITIAL_FORMS": "0",
        **fields,
    }


def test_change_page_shows_start_in_zone(login, alice, lagos_event):
    page = login(alice).get(change_url(lagos_event)).content.decode()
    assert rendered_value(page, "starts_at_0") == "2030-01-10"
    assert rendered_value(page, "starts_at_1") == "18:00:00"


def test_change_page_shows_type_sales_in_zone(login, alice, lagos_event):
    page = login(alice).get(change_url(lagos_event)).content.decode()
    assert rendered_value(page, "ticket_types-0-sales_start_1") == "09:00:00"


def test_change_page_names_the_zone(login, alice, lagos_event):
    response = login(alice).get(change_url(lagos_event))
    form = response.context["adminform"].form
    for name in ("starts_at", "ends_at", "sales_start", "sales_end"):
        assert "In the event's time zone (Africa/Lagos)." in form.fields[name].help_text
    [inline] = response.context["inline_admin_formsets"]
    assert "(Africa/Lagos)" in inline.formset.forms[0].fields["sales_end"].help_text


def test_change_reads_times_in_zone(login, alice, lagos_event):
    client = login(alice)
    data = change_form_data(client.get(change_url(lagos_event)))
    data["starts_at_1"] = "19:00:00"
    data["sales_end_0"], data["sales_end_1"] = "2030-01-10", "12:00:00"
    assert client.post(change_url(lagos_event), data).status_code == 302
    lagos_event.refresh_from_db()
    assert lagos_event.starts_at == SEVEN_PM_LAGOS_IN_UTC
    assert lagos_event.sales_end == datetime(2030, 1, 10, 11, 0, tzinfo=UTC)


def test_change_reads_type_sales_in_zone(login, alice, lagos_event):
    client = login(alice)
    data = change_form_data(client.get(change_url(lagos_event)))
    data["ticket_types-0-sales_end_0"], data["ticket_types-0-sales_end_1"] = "2030-01-09", "23:00:00"
    assert client.post(change_url(lagos_event), data).status_code == 302
    ticket_type = TicketType.objects.get(event=lagos_event)
    assert ticket_type.sales_end == datetime(2030, 1, 9, 22, 0, tzinfo=UTC)
    assert ticket_type.sales_start == datetime(2030, 1, 1, 8, 0, tzinfo=UTC)


def test_unchanged_save_keeps_times(login, alice, lagos_event):
    client = login(alice)
    data = change_form_data(client.get(change_url(lagos_event)))
    assert client.post(change_url(lagos_event), data).status_code == 302
    lagos_event.refresh_from_db()
    assert lagos_event.starts_at == datetime(2030, 1, 10, 17, 0, tzinfo=UTC)
    assert TicketType.objects.get(event=lagos_event).sales_start == datetime(2030, 1, 1, 8, 0, tzinfo=UTC)


def test_add_reads_submitted_zone(login, alice):
    response = login(alice).post(ADD, new_event_data())
    assert response.status_code == 302
    assert Event.objects.get(slug="accra-highlife").starts_at == SEVEN_PM_LAGOS_IN_UTC


def test_add_reads_other_submitted_zone(login, alice):
    response = login(alice).post(ADD, new_event_data(time_zone="Africa/Nairobi"))
    assert response.status_code == 302
    assert Event.objects.get(slug="accra-highlife").starts_at == datetime(2030, 1, 10, 16, 0, tzinfo=UTC)


def test_add_page_uses_default_zone(login, alice, settings):
    settings.DEFAULT_EVENT_TIME_ZONE = "Africa/Nairobi"
    response = login(alice).get(ADD)
    assert "(Africa/Nairobi)" in response.context["adminform"].form.fields["starts_at"].help_text
    # The admin's "Now" and "Today" shortcuts correct the browser's clock by this offset, in seconds.
    assert 'data-admin-utc-offset="10800"' in response.content.decode()


def test_zone_change_reads_times_in_new_zone(login, alice, lagos_event):
    client = login(alice)
    data = change_form_data(client.get(change_url(lagos_event)))
    data["time_zone"] = "Africa/Nairobi"
    assert client.post(change_url(lagos_event), data).status_code == 302
    lagos_event.refresh_from_db()
    assert lagos_event.time_zone == "Africa/Nairobi"
    # The page showed 18:00 and 09:00, which now mean 18:00 and 09:00 in Nairobi.
    assert lagos_event.starts_at == datetime(2030, 1, 10, 15, 0, tzinfo=UTC)
    assert TicketType.objects.get(event=lagos_event).sales_start == datetime(2030, 1, 1, 6, 0, tzinfo=UTC)


def test_invalid_zone_changes_nothing(login, alice, lagos_event):
    client = login(alice)
    data = change_form_data(client.get(change_url(lagos_event)))
    data["time_zone"] = "Africa/Atlantis"
    data["starts_at_1"] = "20:00:00"
    response = client.post(change_url(lagos_event), data)
    assert response.status_code == 200
    assert "Africa/Atlantis is not a known time zone." in response.content.decode()
    lagos_event.refresh_from_db()
    assert lagos_event.time_zone == "Africa/Lagos"
    assert lagos_event.starts_at == datetime(2030, 1, 10, 17, 0, tzinfo=UTC)


def test_invalid_zone_shows_saved_zone(login, alice, lagos_event):
    client = login(alice)
    data = change_form_data(client.get(change_url(lagos_event)))
    data["time_zone"] = "Africa/Atlantis"
    response = client.post(change_url(lagos_event), data)
    assert "(Africa/Lagos)" in response.context["adminform"].form.fields["starts_at"].help_text


def test_invalid_zone_on_add_creates_nothing(login, alice):
    response = login(alice).post(ADD, new_event_data(time_zone="UTC+1"))
    assert response.status_code == 200
    assert "UTC+1 is not a known time zone." in response.content.decode()
    assert not Event.objects.filter(slug="accra-highlife").exists()


def test_malformed_id_is_404(login, alice):
    assert login(alice).get(f"{CHANGELIST}nope/change/").status_code == 404


def test_changelist_start_in_zone(login, alice, lagos_event):
    text = login(alice).get(CHANGELIST).content.decode()
    assert "2030-01-10 18:00 WAT" in text
