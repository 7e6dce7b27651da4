"""Fixtures for the tickets tests: paid orders made directly with the ORM, and QR decoding."""
import io
from datetime import timedelta

import pytest
import zxingcpp
from django.db import transaction
from django.utils import timezone
from PIL import Image

from payments.models import Order, OrderLine
from payments.signals import order_paid
from tickets.models import Ticket


@pytest.fixture
def make_paid_order(db, django_capture_on_commit_callbacks):
    """Return a function that creates a paid order and confirms it the way payments does.

    The order_paid signal is sent inside a transaction and the on-commit callbacks (the email) run,
    as they would after a real confirmation commits.
    """

    def make(*, buyer, event, quantity=1, ticket_type=None, email=None):
        ticket_type = ticket_type or event.ticket_types.first()
        now = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                order = Order.objects.create(
                    buyer=buyer, event=event, email=email or buyer.email, status=Order.Status.PAID,
                    currency=event.currency, total_minor=int(ticket_type.price * 100) * quantity,
                    expires_at=now + timedelta(minutes=15), paid_at=now,
                )
                OrderLine.objects.create(
                    order=order, ticket_type=ticket_type, quantity=quantity, unit_price=ticket_type.price,
                )
                order_paid.send(sender=Order, order=order)
        return order

    return make


@pytest.fixture
def paid_order(make_paid_order, user, event):
    return make_paid_order(buyer=user, event=event, quantity=2)


@pytest.fixture
def ticket(paid_order):
    return Ticket.objects.filter(order_line__order=paid_order).order_by("id").first()


@pytest.fixture
def decode_qr():
    """Return a function that reads the text of the one QR code in PNG bytes with zxing-cpp."""

    def decode(png: bytes) -> str:
        results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
        assert len(results) == 1, f"expected one QR code, found {len(results)}"
        assert results[0].format == zxingcpp.BarcodeFormat.QRCode
        return results[0].text

    return decode
