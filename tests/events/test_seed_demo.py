"""The seed_demo command: demo users and events, safe to run more than once."""
import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from events.management.commands.seed_demo import DEMO_EVENTS, DEMO_PASSWORD
from events.models import Event, TicketType

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def test_seed_creates_users_and_events():
    seed()

    assert Event.objects.upcoming().count() == len(DEMO_EVENTS)
    assert TicketType.objects.count() == sum(len(types) for *_rest, types in DEMO_EVENTS)
    organiser = get_user_model().objects.get(username="organiser")
    assert organiser.is_organiser
    assert not get_user_model().objects.get(username="attendee").is_organiser


def test_seed_twice_changes_nothing():
    seed()
    before = (
        list(Event.objects.values_list("id", "slug", "starts_at")),
        list(TicketType.objects.values_list("id", "price", "capacity")),
        list(get_user_model().objects.values_list("id", "username", "password")),
    )

    seed()

    after = (
        list(Event.objects.values_list("id", "slug", "starts_at")),
        list(TicketType.objects.values_list("id", "price", "capacity")),
        list(get_user_model().objects.values_list("id", "username", "password")),
    )
    assert after == before


def test_seed_reports_new_events(capsys):
    call_command("seed_demo")
    call_command("seed_demo")

    output = capsys.readouterr().out
    assert f"({len(DEMO_EVENTS)} new events)" in output
    assert "(0 new events)" in output


def test_seed_events_start_at_local_evening():
    seed()

    for event in Event.objects.all():
        assert (event.local_starts_at.hour, event.local_starts_at.minute) == (18, 0), event.title
    assert Event.objects.get(slug="nairobi-startup-mixer").time_zone == "Africa/Nairobi"


def test_seed_users_can_log_in():
    seed()

    assert authenticate(username="organiser", password=DEMO_PASSWORD) is not None
    assert authenticate(username="attendee", password=DEMO_PASSWORD) is not None


def test_seed_pages_render(client):
    seed()

    assert client.get("/").status_code == 200
    for event in Event.objects.all():
        assert client.get(event.get_absolute_url()).status_code == 200
