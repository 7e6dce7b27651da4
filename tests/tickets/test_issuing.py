"""Issuing tickets when an order is paid, and the per-event signing keys."""
import pytest
from django.core import mail
from django.db import transaction

from payments.models import Order
from payments.signals import order_paid
from tickets import services
from tickets.models import EventSigningKey, OrderEmail, Ticket


def test_one_ticket_per_seat(paid_order):
    assert Ticket.objects.filter(order_line__order=paid_order).count() == 2


def test_codes_are_unique_and_long(make_paid_order, user, event):
    order = make_paid_order(buyer=user, event=event, quantity=5)
    codes = [ticket.code for ticket in Ticket.objects.filter(order_line__order=order)]
    assert len(set(codes)) == 5
    # token_urlsafe(20) gives 27 characters of 6 bits each: 160 random bits.
    assert all(len(code) >= 27 for code in codes)
    assert all(order.number not in code for code in codes)


def test_repeat_issue_returns_same_tickets(paid_order, django_capture_on_commit_callbacks):
    first = list(Ticket.objects.filter(order_line__order=paid_order))
    with django_capture_on_commit_callbacks(execute=True):
        again = services.issue_tickets(paid_order)
    assert again == first


def test_repeat_issue_sends_no_second_email(paid_order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_tickets(paid_order)
        order_paid.send(sender=Order, order=paid_order)
    assert len(mail.outbox) == 1
    assert OrderEmail.objects.filter(order=paid_order).count() == 1


def test_email_waits_for_commit(user, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order = Order.objects.create(
            buyer=user, event=event, email=user.email, status=Order.Status.PAID, currency="NGN",
            total_minor=500000, expires_at=event.starts_at,
        )
        order.lines.create(ticket_type=event.ticket_types.first(), quantity=1, unit_price="5000.00")
        services.issue_tickets(order)
        assert mail.outbox == []
    assert len(callbacks) == 1


def test_rolled_back_confirmation_sends_nothing(user, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            order = Order.objects.create(
                buyer=user, event=event, email=user.email, status=Order.Status.PAID, currency="NGN",
                total_minor=500000, expires_at=event.starts_at,
            )
            order.lines.create(ticket_type=event.ticket_types.first(), quantity=1, unit_price="5000.00")
            services.issue_tickets(order)
            raise RuntimeError("the confirmation failed after issuing")
    assert mail.outbox == []
    assert not Ticket.objects.exists()


def test_signing_key_created_once_per_event(paid_order, event):
    key = services.get_signing_key(event)
    assert services.get_signing_key(event).pk == key.pk
    assert EventSigningKey.objects.filter(event=event).count() == 1
    assert len(bytes(key.public_key)) == 32


def test_events_get_different_keys(event, make_event):
    other = make_event(title="Abuja Jazz Night")
    assert bytes(services.get_signing_key(event).public_key) != bytes(services.get_signing_key(other).public_key)


def test_token_carries_no_personal_data(ticket, user):
    token = services.ticket_token(ticket)
    for private in (user.email, user.username, ticket.holder_name, ticket.order_line.order.number):
        assert private not in token


def test_token_is_stable(ticket):
    assert services.ticket_token(ticket) == services.ticket_token(Ticket.objects.get(pk=ticket.pk))
