"""The tickets API: my tickets, one ticket with its QR, and the scanner's key and revocation list."""
import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tickets import services, signing
from tickets.models import Ticket


def test_list_requires_auth(api_client):
    assert api_client.get("/api/tickets/").status_code == 401


def test_list_own_tickets(auth_client, paid_order, make_user, make_paid_order, event):
    make_paid_order(buyer=make_user("someone"), event=event)
    response = auth_client(paid_order.buyer).get("/api/tickets/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    ids = {item["id"] for item in body["results"]}
    assert ids == set(Ticket.objects.filter(order_line__order=paid_order).values_list("id", flat=True))


def test_list_item_fields(auth_client, ticket):
    item = auth_client(ticket.holder).get("/api/tickets/").json()["results"][0]
    assert item["event"]["title"] == ticket.event.title
    assert item["ticket_type"] == {"id": ticket.ticket_type.id, "name": ticket.ticket_type.name}
    assert item["holder"] == ticket.holder_name
    assert item["status"] == "valid"
    assert item["order"] == ticket.order_line.order.number
    assert item["url"].endswith(ticket.get_absolute_url())


def test_detail_fields(auth_client, ticket):
    response = auth_client(ticket.holder).get(f"/api/tickets/{ticket.pk}/")
    assert response.status_code == 200
    body = response.json()
    for field in ("id", "event", "ticket_type", "holder", "status", "qr_svg", "qr_png", "qr_payload"):
        assert field in body
    assert body["qr_svg"].startswith("data:image/svg+xml;base64,")
    assert body["qr_png"].startswith("data:image/png;base64,")


def test_detail_without_trailing_slash(auth_client, ticket):
    assert auth_client(ticket.holder).get(f"/api/tickets/{ticket.pk}").status_code == 200


def test_detail_qr_png_decodes(auth_client, ticket, decode_qr):
    body = auth_client(ticket.holder).get(f"/api/tickets/{ticket.pk}/").json()
    png = base64.b64decode(body["qr_png"].removeprefix("data:image/png;base64,"))
    token = decode_qr(png)
    assert token == body["qr_payload"]
    assert services.verify_ticket_token(token).code == ticket.code


def test_other_users_ticket_404_like_missing(auth_client, ticket, make_user):
    client = auth_client(make_user("stranger"))
    other = client.get(f"/api/tickets/{ticket.pk}/")
    missing = client.get("/api/tickets/999999/")
    assert other.status_code == 404
    assert missing.status_code == 404
    assert other.json() == missing.json()


def test_detail_requires_auth(api_client, ticket):
    assert api_client.get(f"/api/tickets/{ticket.pk}/").status_code == 401


def test_public_key_verifies_offline(auth_client, ticket, organiser):
    body = auth_client(organiser).get(f"/api/checkin/events/{ticket.event.pk}/key/").json()
    assert body["algorithm"] == "Ed25519"
    public_key = signing.b64url_decode(body["public_key"])
    token = services.ticket_token(ticket)
    signed_part, _, signature = token.rpartition(".")
    # Raises InvalidSignature if the published key does not match the signing key.
    Ed25519PublicKey.from_public_bytes(public_key).verify(signing.b64url_decode(signature), signed_part.encode())
    assert body["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")


def test_public_key_other_organiser_403(auth_client, ticket, make_user):
    rival = make_user("rival", organiser=True)
    response = auth_client(rival).get(f"/api/checkin/events/{ticket.event.pk}/key/")
    assert response.status_code == 403


def test_public_key_unknown_event_404(auth_client, organiser):
    assert auth_client(organiser).get("/api/checkin/events/999999/key/").status_code == 404


def test_public_key_superuser(auth_client, ticket, make_user):
    admin = make_user("root", is_superuser=True, is_staff=True)
    assert auth_client(admin).get(f"/api/checkin/events/{ticket.event.pk}/key/").status_code == 200


def test_revocation_list_has_void_codes(auth_client, paid_order, organiser):
    first, second = Ticket.objects.filter(order_line__order=paid_order).order_by("id")
    services.void_ticket(first)
    body = auth_client(organiser).get(f"/api/checkin/events/{paid_order.event.pk}/revoked/").json()
    assert body["revoked"] == [first.code]


def test_revocation_list_other_organiser_403(auth_client, ticket, make_user):
    rival = make_user("rival", organiser=True)
    assert auth_client(rival).get(f"/api/checkin/events/{ticket.event.pk}/revoked/").status_code == 403


def test_revocation_list_attendee_403(auth_client, ticket):
    assert auth_client(ticket.holder).get(f"/api/checkin/events/{ticket.event.pk}/revoked/").status_code == 403
