"""Attendees in the admin: CSV export with formula escaping, search, check-in and resending tickets."""
import csv
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from payments.models import Order
from tickets.attendees import escape_cell
from tickets.models import OrderEmail, Ticket

CHANGELIST = "/admin/tickets/ticket/"
EXPORT = "/admin/tickets/ticket/export/"


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+2348012345678", "'+2348012345678"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTab", "'\tTab"),
    ("Ada Lovelace", "Ada Lovelace"),
    ("", ""),
    (None, ""),
])
def test_escape_cell(value, expected):
    assert escape_cell(value) == expected


def test_csv_columns(login, alice, alice_event, make_order):
    order = make_order(alice_event, quantity=2)
    rows = csv_rows(login(alice).get(EXPORT, {"event": alice_event.pk}))
    assert rows[0] == ["holder", "email", "ticket type", "status", "checked in at", "order", "event"]
    assert rows[1:] == [["buyer", order.email, "Regular", "Valid", "", order.number, "Alice Jazz Night"]] * 2


def test_csv_escapes_formulas(login, alice, alice_event, make_order):
    order = make_order(alice_event, quantity=1)
    Ticket.objects.filter(order_line__order=order).update(holder_name="=cmd|' /C calc'!A0")
    rows = csv_rows(login(alice).get(EXPORT, {"event": alice_event.pk}))
    assert rows[1][0] == "'=cmd|' /C calc'!A0"


def test_csv_check_in_time_in_event_zone(login, alice, alice_event, make_order):
    order = make_order(alice_event, quantity=1)
    moment = timezone.datetime(2030, 1, 10, 18, 30, tzinfo=timezone.UTC)
    Ticket.objects.filter(order_line__order=order).update(status=Ticket.Status.CHECKED_IN, checked_in_at=moment)
    rows = csv_rows(login(alice).get(EXPORT, {"event": alice_event.pk}))
    # Africa/Lagos is UTC+1 all year.
    assert rows[1][3:5] == ["Checked in", "2030-01-10T19:30:00+01:00"]


def test_csv_only_the_requested_event(login, alice, alice_event, make_event, make_order):
    other = make_event(organiser=alice, title="Alice Second")
    make_order(alice_event, quantity=1)
    make_order(other, quantity=3)
    rows = csv_rows(login(alice).get(EXPORT, {"event": other.pk}))
    assert len(rows) == 4
    assert {row[6] for row in rows[1:]} == {"Alice Second"}


def test_csv_bad_event_id_is_404(login, alice):
    assert login(alice).get(EXPORT, {"event": "1; DROP"}).status_code == 404


def test_csv_export_logged(login, alice, alice_event, make_order):
    make_order(alice_event, quantity=1)
    login(alice).get(EXPORT, {"event": alice_event.pk})
    entry = LogEntry.objects.get(object_id=str(alice_event.pk), content_type__model="event")
    assert "Exported the attendee list" in entry.get_change_message()


def test_csv_action_on_selected(login, alice, alice_event, make_order):
    order = make_order(alice_event, quantity=2)
    ticket = Ticket.objects.filter(order_line__order=order).first()
    response = login(alice).post(CHANGELIST, {"action": "export_csv", "_selected_action": [ticket.pk]})
    assert len(csv_rows(response)) == 2


@pytest.mark.parametrize("field", ["code", "holder_name", "email"])
def test_search_tickets(login, alice, alice_event, make_order, make_user, field):
    other_buyer = make_user("grace", first_name="Grace", last_name="Hopper")
    order = make_order(alice_event, quantity=1, email="grace.hopper@example.net")
    make_order(alice_event, quantity=1)
    ticket = Ticket.objects.get(order_line__order=order)
    Ticket.objects.filter(pk=ticket.pk).update(holder_name="Grace Hopper", holder=other_buyer)
    term = {"code": ticket.code, "holder_name": "hopper", "email": "grace.hopper@example.net"}[field]
    response = login(alice).get(CHANGELIST, {"q": term})
    assert list(response.context["cl"].result_list) == [ticket]


def test_search_partial_code_finds_nothing(login, alice, alice_event, make_order):
    order = make_order(alice_event, quantity=1)
    code = Ticket.objects.get(order_line__order=order).code
    response = login(alice).get(CHANGELIST, {"q": code[:6]})
    assert list(response.context["cl"].result_list) == []


def test_check_in_action(login, alice, alice_event, make_order):
    order = make_order(alice_event, quantity=1)
    ticket = Ticket.objects.get(order_line__order=order)
    login(alice).post(CHANGELIST, {"action": "check_in_tickets", "_selected_action": [ticket.pk]})
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CHECKED_IN
    assert ticket.checked_in_by == alice
    assert LogEntry.objects.filter(object_id=str(ticket.pk), content_type__model="ticket").exists()


def test_check_in_twice_warns(login, alice, alice_event, make_order):
    order = make_order(alice_event, quantity=1)
    ticket = Ticket.objects.get(order_line__order=order)
    client = login(alice)
    client.post(CHANGELIST, {"action": "check_in_tickets", "_selected_action": [ticket.pk]})
    response = client.post(CHANGELIST, {"action": "check_in_tickets", "_selected_action": [ticket.pk]}, follow=True)
    assert "already checked in" in response.content.decode()


def test_check_in_void_ticket_refused(login, alice, alice_event, make_order):
    order = make_order(alice_event, quantity=1)
    ticket = Ticket.objects.get(order_line__order=order)
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.VOID)
    login(alice).post(CHANGELIST, {"action": "check_in_tickets", "_selected_action": [ticket.pk]})
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.VOID


def test_resend_action(login, alice, alice_event, make_order, django_capture_on_commit_callbacks):
    order = make_order(alice_event, quantity=2)
    ticket_ids = list(Ticket.objects.filter(order_line__order=order).values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        login(alice).post(CHANGELIST, {"action": "resend_order_emails", "_selected_action": ticket_ids})
    resends = OrderEmail.objects.filter(order=order, reason=OrderEmail.Reason.RESEND)
    assert resends.count() == 1
    assert resends.get().requested_by == alice


def test_status_not_editable(login, alice, alice_event, make_order):
    order = make_order(alice_event, quantity=1)
    ticket = Ticket.objects.get(order_line__order=order)
    client = login(alice)
    response = client.post(f"{CHANGELIST}{ticket.pk}/change/", {"holder_name": "New Name", "status": "checked_in"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.holder_name, ticket.status) == ("New Name", Ticket.Status.VALID)


def test_search_by_order_number_prefix(login, alice, alice_event, make_order):
    order = make_order(alice_event, quantity=1)
    other = make_order(alice_event, quantity=1)
    Order.objects.filter(pk=order.pk).update(number="ORD-6E31A0B1C2D3")
    Order.objects.filter(pk=other.pk).update(number="ORD-6E3F99887766")
    response = login(alice).get(CHANGELIST, {"q": "ORD-6E31"})
    assert list(response.context["cl"].result_list) == [Ticket.objects.get(order_line__order=order)]


@pytest.mark.parametrize("params", [
    {"foo": "bar"},
    {"created_at__gte": "xyz"},
    {"order_line__ticket_type__event": "abc"},
])
def test_csv_bad_filter_is_400(login, alice, alice_event, make_order, params):
    make_order(alice_event, quantity=1)
    response = login(alice).get(EXPORT, params)
    assert response.status_code == 400
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize("event_id", ["²", "１", "9223372036854775808", "9999999999999999999", "9" * 5000, "0"])
def test_csv_odd_event_id_is_404(login, alice, alice_event, make_order, event_id):
    make_order(alice_event, quantity=1)
    response = login(alice).get(EXPORT, {"event": event_id})
    assert response.status_code == 404
    assert not LogEntry.objects.exists()
