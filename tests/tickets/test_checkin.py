"""Checking tickets in: the service, the API and the organiser's page."""
from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.test import Client
from django.utils import timezone

from payments.models import Order
from payments.signals import order_cancelled
from tests.conftest import PASSWORD
from tickets import services, signing
from tickets.exceptions import AlreadyCheckedIn, NotEventOrganiser, TicketNotFound, TicketVoid, WrongEvent
from tickets.models import Ticket


@pytest.fixture
def token(ticket):
    return services.ticket_token(ticket)


@pytest.fixture
def other_event(make_event):
    return make_event(title="Abuja Blues Night")


def altered(token, position=-10):
    replacement = "A" if token[position] != "A" else "B"
    return token[:position] + replacement + token[position + 1:]


# The service.

def test_check_in_admits_once(token, ticket, organiser):
    now = timezone.now()
    admitted = services.check_in(token=token, by=organiser, now=now)
    assert admitted.pk == ticket.pk
    assert admitted.status == Ticket.Status.CHECKED_IN
    assert admitted.checked_in_at == now
    assert admitted.checked_in_by == organiser


def test_second_scan_reports_first(token, organiser):
    first_time = timezone.now() - timedelta(minutes=3)
    services.check_in(token=token, by=organiser, now=first_time)
    with pytest.raises(AlreadyCheckedIn) as error:
        services.check_in(token=token, by=organiser)
    assert error.value.ticket.checked_in_at == first_time
    assert error.value.ticket.checked_in_by == organiser
    assert organiser.username in error.value.message


def test_void_ticket_rejected(token, ticket, organiser):
    services.void_ticket(ticket)
    with pytest.raises(TicketVoid):
        services.check_in(token=token, by=organiser)


def test_altered_token_rejected(token, ticket, organiser):
    with pytest.raises(TicketNotFound):
        services.check_in(token=altered(token), by=organiser)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.VALID


def test_unsigned_code_rejected(ticket, organiser):
    with pytest.raises(TicketNotFound):
        services.check_in(token=ticket.code, by=organiser)


def test_unknown_code_rejected(ticket, organiser):
    key = services.get_signing_key(ticket.event)
    forged = signing.sign_token(
        event_id=ticket.event.pk, code="A" * 27, private_key=bytes(key.private_key),
    )
    with pytest.raises(TicketNotFound):
        services.check_in(token=forged, by=organiser)


def test_token_of_event_a_refused_at_event_b(token, organiser, other_event):
    with pytest.raises(WrongEvent):
        services.check_in(token=token, by=organiser, event=other_event)


def test_event_id_swapped_rejected(token, ticket, organiser, other_event):
    services.get_signing_key(other_event)
    swapped = token.replace(f"TK1.{ticket.event.pk}.", f"TK1.{other_event.pk}.", 1)
    with pytest.raises(TicketNotFound):
        services.check_in(token=swapped, by=organiser, event=other_event)


def test_other_organiser_rejected(token, make_user):
    with pytest.raises(NotEventOrganiser):
        services.check_in(token=token, by=make_user("rival", organiser=True))


def test_holder_cannot_check_in(token, ticket):
    with pytest.raises(NotEventOrganiser):
        services.check_in(token=token, by=ticket.holder)


def test_superuser_can_check_in(token, make_user):
    admin = make_user("root", is_superuser=True, is_staff=True)
    assert services.check_in(token=token, by=admin).status == Ticket.Status.CHECKED_IN


def test_cancelled_order_voids_tickets(paid_order, organiser):
    order_cancelled.send(sender=Order, order=paid_order, by=organiser)
    statuses = set(Ticket.objects.filter(order_line__order=paid_order).values_list("status", flat=True))
    assert statuses == {Ticket.Status.VOID}


# The API.

def test_api_check_in(auth_client, token, ticket, organiser):
    response = auth_client(organiser).post("/api/checkin/", {"payload": token}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "checked_in"
    assert body["ticket"]["id"] == ticket.pk
    assert body["ticket"]["holder"] == ticket.holder_name
    assert body["ticket"]["ticket_type"]["name"] == ticket.ticket_type.name


def test_api_without_trailing_slash(auth_client, token, organiser):
    assert auth_client(organiser).post("/api/checkin", {"payload": token}, format="json").status_code == 200


def test_api_second_scan_409(auth_client, token, organiser):
    client = auth_client(organiser)
    client.post("/api/checkin/", {"payload": token}, format="json")
    response = client.post("/api/checkin/", {"payload": token}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "already_checked_in"
    assert body["checked_in_by"] == organiser.username
    assert datetime.fromisoformat(body["checked_in_at"]) <= datetime.now(dt_timezone.utc)


def test_api_void_409(auth_client, token, ticket, organiser):
    services.void_ticket(ticket)
    response = auth_client(organiser).post("/api/checkin/", {"payload": token}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "ticket_void"


def test_api_forged_404(auth_client, token, organiser):
    response = auth_client(organiser).post("/api/checkin/", {"payload": altered(token)}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "ticket_not_found"


def test_api_huge_event_id_404(auth_client, ticket, organiser):
    payload = f"TK1.9999999999999999999.{ticket.code}." + "A" * 86
    response = auth_client(organiser).post("/api/checkin/", {"payload": payload}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "ticket_not_found"
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.VALID


def test_api_other_event_404(auth_client, token, organiser, other_event):
    response = auth_client(organiser).post(
        "/api/checkin/", {"payload": token, "event": other_event.pk}, format="json",
    )
    assert response.status_code == 404
    assert response.json()["code"] == "wrong_event"


def test_api_not_organiser_403(auth_client, token, make_user):
    response = auth_client(make_user("rival", organiser=True)).post("/api/checkin/", {"payload": token}, format="json")
    assert response.status_code == 403


def test_api_anonymous_401(api_client, token):
    assert api_client.post("/api/checkin/", {"payload": token}, format="json").status_code == 401


@pytest.mark.parametrize("body", [{}, {"payload": ""}, {"payload": "x" * 201}, {"payload": "TK1", "event": "abc"}])
def test_api_bad_input_400(auth_client, organiser, ticket, body):
    response = auth_client(organiser).post("/api/checkin/", body, format="json")
    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.VALID


def test_api_form_encoded(auth_client, token, organiser):
    assert auth_client(organiser).post("/api/checkin/", {"payload": token}).status_code == 200


# The organiser's page.

def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_page_lists_own_events(client, ticket, organiser, make_user, make_event):
    rival = make_user("rival", organiser=True)
    make_event(title="Rival's Party", organiser=rival)
    content = login(client, organiser).get("/tickets/checkin/").content.decode()
    assert ticket.event.title in content
    assert "Rival&#x27;s Party" not in content


def test_page_requires_login(client, ticket):
    response = client.get(f"/tickets/checkin/{ticket.event.pk}/")
    assert response.status_code == 302


def test_page_other_organisers_event_404(client, ticket, make_user):
    rival = make_user("rival", organiser=True)
    assert login(client, rival).get(f"/tickets/checkin/{ticket.event.pk}/").status_code == 404


def test_page_checks_in(client, token, ticket, organiser):
    response = login(client, organiser).post(f"/tickets/checkin/{ticket.event.pk}/", {"payload": token})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Checked in" in content
    assert ticket.holder_name in content
    assert "1 of 2 checked in" in content


def test_page_second_scan_409(client, token, ticket, organiser):
    login(client, organiser)
    client.post(f"/tickets/checkin/{ticket.event.pk}/", {"payload": token})
    response = client.post(f"/tickets/checkin/{ticket.event.pk}/", {"payload": token})
    assert response.status_code == 409
    assert "already checked in" in response.content.decode()


def test_page_other_event_refused(client, token, organiser, other_event):
    response = login(client, organiser).post(f"/tickets/checkin/{other_event.pk}/", {"payload": token})
    assert response.status_code == 404
    assert "another event" in response.content.decode()


def test_page_empty_form_reshown(client, ticket, organiser):
    response = login(client, organiser).post(f"/tickets/checkin/{ticket.event.pk}/", {"payload": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_page_needs_csrf(token, ticket, organiser):
    client = Client(enforce_csrf_checks=True)
    login(client, organiser)
    assert client.post(f"/tickets/checkin/{ticket.event.pk}/", {"payload": token}).status_code == 403
