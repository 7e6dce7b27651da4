"""A ticket bought through the API is emailed, shown, decoded from its QR and checked in once."""
import base64
from email import message_from_bytes, policy

import pytest
from django.core import mail

from payments.gateways.sandbox import SandboxGateway


@pytest.fixture(autouse=True)
def sandbox_gateway(settings):
    settings.PAYSTACK_SECRET_KEY = ""


def test_bought_ticket_checked_in_once(auth_client, user, organiser, event, decode_qr,
                                       django_capture_on_commit_callbacks):
    buyer = auth_client(user)
    reference = buyer.post("/api/payments/pay", {"event_id": event.pk}, format="json").json()["reference"]
    SandboxGateway().complete(reference, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        verified = buyer.post(f"/api/payments/verify/{reference}")
    assert verified.status_code == 200, verified.content
    ticket_id = verified.json()["tickets"][0]["id"]

    # The email arrived with a QR that decodes to the ticket's token.
    assert len(mail.outbox) == 1
    parsed = message_from_bytes(mail.outbox[0].message().as_bytes(), policy=policy.default)
    image = next(part for part in parsed.walk() if part.get_content_type() == "image/png")
    emailed_token = decode_qr(image.get_content())

    # The API shows the ticket with the same token in its QR.
    detail = buyer.get(f"/api/tickets/{ticket_id}").json()
    png = base64.b64decode(detail["qr_png"].removeprefix("data:image/png;base64,"))
    assert decode_qr(png) == emailed_token

    door = auth_client(organiser)
    first = door.post("/api/checkin/", {"payload": emailed_token, "event": event.pk}, format="json")
    second = door.post("/api/checkin/", {"payload": emailed_token, "event": event.pk}, format="json")
    assert first.status_code == 200
    assert first.json()["ticket"]["id"] == ticket_id
    assert second.status_code == 409
    assert buyer.get(f"/api/tickets/{ticket_id}").json()["status"] == "checked_in"
