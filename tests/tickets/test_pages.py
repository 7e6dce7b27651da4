"""The attendee's ticket pages: list, ticket, QR download and resend."""
import zoneinfo
from datetime import datetime, timedelta

from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD
from tickets import qr, services
from tickets.models import Ticket


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_list_requires_login(client):
    response = client.get("/tickets/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_list_shows_own_tickets(client, paid_order, make_user, make_paid_order, make_event):
    other = make_user("someone")
    other_order = make_paid_order(buyer=other, event=make_event(title="Someone Else's Gig"))
    response = login(client, paid_order.buyer).get("/tickets/")
    content = response.content.decode()
    assert response.status_code == 200
    assert paid_order.event.title in content
    assert other_order.event.title not in content


def test_list_upcoming_before_past(client, user, make_event, make_paid_order):
    past = make_event(title="Last Year's Festival", days=-30)
    later = make_event(title="Later Concert", days=20)
    sooner = make_event(title="Sooner Concert", days=2)
    for event in (past, later, sooner):
        make_paid_order(buyer=user, event=event)
    response = login(client, user).get("/tickets/")
    upcoming = [ticket.event.title for ticket in response.context["upcoming"]]
    past_titles = [ticket.event.title for ticket in response.context["past"]]
    assert upcoming == ["Sooner Concert", "Later Concert"]
    assert past_titles == ["Last Year's Festival"]
    content = response.content.decode()
    assert content.index("Later Concert") < content.index("Last Year&#x27;s Festival")


def test_list_empty_state(client, user):
    response = login(client, user).get("/tickets/")
    assert "You have no tickets yet." in response.content.decode()


def test_detail_shows_ticket(client, ticket):
    response = login(client, ticket.holder).get(ticket.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert ticket.event.title in content
    assert ticket.ticket_type.name in content
    assert ticket.holder_name in content
    assert "Valid" in content
    assert "<svg" in content


def test_detail_time_in_event_zone(client, user, make_event, make_paid_order):
    starts_at = datetime(2031, 3, 1, 10, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    event = make_event(title="Tokyo Night", starts_at=starts_at, time_zone="Asia/Tokyo", venue="Budokan")
    order = make_paid_order(buyer=user, event=event)
    ticket = Ticket.objects.get(order_line__order=order)
    content = login(client, user).get(ticket.get_absolute_url()).content.decode()
    assert "19:30" in content
    assert "Asia/Tokyo" in content
    assert "Budokan" in content


def test_detail_qr_matches_token(client, ticket):
    content = login(client, ticket.holder).get(ticket.get_absolute_url()).content.decode()
    assert qr.qr_svg(services.ticket_token(ticket)) in content


def test_other_users_ticket_is_404(client, ticket, make_user):
    stranger = login(client, make_user("stranger"))
    other = stranger.get(ticket.get_absolute_url())
    missing = stranger.get("/tickets/999999/")
    assert other.status_code == 404
    assert missing.status_code == 404
    assert other.content == missing.content


def test_qr_png_download_decodes(client, ticket, decode_qr):
    response = login(client, ticket.holder).get(f"/tickets/{ticket.pk}/qr.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    token = decode_qr(response.content)
    assert services.verify_ticket_token(token).code == ticket.code


def test_qr_png_other_user_404(client, ticket, make_user):
    response = login(client, make_user("stranger")).get(f"/tickets/{ticket.pk}/qr.png")
    assert response.status_code == 404


def test_resend_from_ticket_page(client, ticket, django_capture_on_commit_callbacks):
    login(client, ticket.holder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/tickets/{ticket.pk}/resend/", follow=True)
    assert response.redirect_chain[-1][0] == ticket.get_absolute_url()
    assert len(mail.outbox) == 2
    assert "We are sending your tickets" in response.content.decode()


def test_resend_twice_shows_wait_message(client, ticket, django_capture_on_commit_callbacks):
    login(client, ticket.holder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/tickets/{ticket.pk}/resend/")
        response = client.post(f"/tickets/{ticket.pk}/resend/", follow=True)
    assert len(mail.outbox) == 2
    assert "wait a minute" in response.content.decode()


def test_resend_other_user_404(client, ticket, make_user):
    response = login(client, make_user("stranger")).post(f"/tickets/{ticket.pk}/resend/")
    assert response.status_code == 404
    assert len(mail.outbox) == 1


def test_resend_needs_csrf(ticket):
    client = Client(enforce_csrf_checks=True)
    login(client, ticket.holder)
    assert client.post(f"/tickets/{ticket.pk}/resend/").status_code == 403


def test_unicode_names_on_pages(client, make_user, make_event, make_paid_order):
    buyer = make_user("amaka", first_name="Àmàkà", last_name="李 🎟️")
    event = make_event(title="Фестиваль ジャズ 🎺")
    order = make_paid_order(buyer=buyer, event=event)
    ticket = Ticket.objects.get(order_line__order=order)
    login(client, buyer)
    for url in ("/tickets/", ticket.get_absolute_url()):
        content = client.get(url).content.decode()
        assert "Фестиваль ジャズ 🎺" in content
        assert "Àmàkà 李 🎟️" in content


def test_void_ticket_page_says_void(client, ticket):
    services.void_ticket(ticket)
    content = login(client, ticket.holder).get(ticket.get_absolute_url()).content.decode()
    assert "Void" in content
    assert "will not be admitted" in content


def test_ticket_card_partial(ticket):
    html = render_to_string("tickets/_ticket_card.html", {"ticket": ticket})
    assert ticket.get_absolute_url() in html
    assert ticket.ticket_type.name in html
    assert ticket.holder_name in html
    assert "<svg" in html


def test_nav_links(client, user, organiser):
    content = login(client, user).get("/tickets/").content.decode()
    assert 'href="/tickets/"' in content
    assert 'href="/tickets/checkin/"' not in content
    client.logout()
    content = login(client, organiser).get("/tickets/").content.decode()
    assert 'href="/tickets/checkin/"' in content


def test_print_css_present(client, ticket):
    content = login(client, ticket.holder).get(ticket.get_absolute_url()).content.decode()
    assert "no-print" in content
    assert "ticket-page-qr" in content


def test_checked_in_status_shown(client, ticket, organiser):
    services.check_in(token=services.ticket_token(ticket), by=organiser, now=timezone.now() - timedelta(minutes=5))
    content = login(client, ticket.holder).get(ticket.get_absolute_url()).content.decode()
    assert "Checked in" in content
