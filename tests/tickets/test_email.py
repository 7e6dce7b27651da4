"""The order email: content, inline QR codes, failures, retries and resends."""
import logging
from datetime import timedelta
from email import message_from_bytes, policy
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from payments.models import Order
from tickets import services
from tickets.exceptions import ResendTooSoon
from tickets.models import OrderEmail, Ticket

FAILING_MAILER = {"default": {"BACKEND": "tests.tickets.mail_backends.FailingEmailBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def inline_images(message):
    """Return the inline image parts of a sent message, parsed back from its bytes."""
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    return [part for part in parsed.walk() if part.get_content_maintype() == "image"]


def test_one_email_per_order(paid_order):
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [paid_order.email]


def test_email_has_text_and_html(paid_order, event):
    message = mail.outbox[0]
    html, mime_type = message.alternatives[0]
    assert mime_type == "text/html"
    assert event.title in message.body
    assert event.title in html
    assert paid_order.number in message.subject


def test_email_shows_event_details(paid_order, event):
    body = mail.outbox[0].body
    assert event.local_starts_at.strftime("%H:%M") in body
    assert event.time_zone in body
    assert event.location in body


def test_email_links_each_ticket_page(paid_order, settings):
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    for ticket in Ticket.objects.filter(order_line__order=paid_order):
        url = settings.SITE_URL + ticket.get_absolute_url()
        assert url in message.body
        assert url in html


def test_email_inlines_one_qr_per_ticket(paid_order):
    message = mail.outbox[0]
    images = inline_images(message)
    assert len(images) == 2
    html = message.alternatives[0][0]
    for image in images:
        assert image.get_content_type() == "image/png"
        assert image["Content-Disposition"].startswith("inline")
        assert f'src="cid:{image["Content-ID"].strip("<>")}"' in html


def test_email_qr_decodes_to_valid_token(paid_order, decode_qr):
    tickets = list(Ticket.objects.filter(order_line__order=paid_order).order_by("id"))
    images = inline_images(mail.outbox[0])
    for ticket, image in zip(tickets, images, strict=True):
        token = decode_qr(image.get_content())
        assert token == services.ticket_token(ticket)
        assert services.verify_ticket_token(token).code == ticket.code


def test_unicode_survives_subject_and_body(make_paid_order, make_user, make_event):
    buyer = make_user("chidi", first_name="Чиди", last_name="王 🎉")
    event = make_event(title="Ẹ̀kọ́ Jazz 東京 🎷")
    make_paid_order(buyer=buyer, event=event)
    message = mail.outbox[0]
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    assert "Ẹ̀kọ́ Jazz 東京 🎷" in parsed["Subject"]
    assert "Чиди 王 🎉" in message.body
    assert "Ẹ̀kọ́ Jazz 東京 🎷" in message.alternatives[0][0]
    text_part = parsed.get_body(preferencelist=("plain",))
    assert "Чиди 王 🎉" in text_part.get_content()


def test_email_marked_sent(paid_order):
    email = OrderEmail.objects.get(order=paid_order)
    assert email.status == OrderEmail.Status.SENT
    assert email.attempts == 1
    assert email.sent_at is not None


@override_settings(MAILERS=FAILING_MAILER)
def test_mail_failure_keeps_order_paid(make_paid_order, user, event):
    order = make_paid_order(buyer=user, event=event, quantity=2)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Ticket.objects.filter(order_line__order=order, status=Ticket.Status.VALID).count() == 2


@override_settings(MAILERS=FAILING_MAILER)
def test_mail_failure_records_retry(make_paid_order, user, event):
    before = timezone.now()
    order = make_paid_order(buyer=user, event=event)
    email = OrderEmail.objects.get(order=order)
    assert email.status == OrderEmail.Status.PENDING
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at >= before + timedelta(seconds=60)


@override_settings(MAILERS=FAILING_MAILER)
def test_mail_failure_logged_with_order(make_paid_order, user, event, caplog):
    with caplog.at_level(logging.WARNING, logger="tickets.services.email"):
        order = make_paid_order(buyer=user, event=event)
    assert any(order.number in record.getMessage() for record in caplog.records)


@override_settings(MAILERS=FAILING_MAILER, TASKS=DATABASE_TASKS)
def test_retry_deferred_on_worker_backend(make_paid_order, user, event):
    order = make_paid_order(buyer=user, event=event)
    email = OrderEmail.objects.get(order=order)
    # The worker backend only queues the first attempt; run it here, as a worker would.
    services.deliver_order_email(email.pk)
    email.refresh_from_db()
    queued = DBTaskResult.objects.filter(args_kwargs__args=[email.pk])
    assert queued.count() == 2
    assert queued.filter(run_after=email.next_attempt_at).exists()


def test_retry_waits_for_its_time(make_paid_order, user, event, settings):
    settings.MAILERS = FAILING_MAILER
    order = make_paid_order(buyer=user, event=event)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    email = OrderEmail.objects.get(order=order)
    services.retry_due_order_emails(now=email.next_attempt_at - timedelta(seconds=1))
    assert mail.outbox == []
    services.retry_due_order_emails(now=email.next_attempt_at)
    email.refresh_from_db()
    assert len(mail.outbox) == 1
    assert email.status == OrderEmail.Status.SENT
    assert email.attempts == 2


@override_settings(MAILERS=FAILING_MAILER, TICKET_EMAIL_MAX_ATTEMPTS=3, TICKET_EMAIL_RETRY_SECONDS=60)
def test_backoff_grows_then_gives_up(make_paid_order, user, event):
    order = make_paid_order(buyer=user, event=event)
    email = OrderEmail.objects.get(order=order)
    first_retry = email.next_attempt_at
    services.retry_due_order_emails(now=first_retry)
    email.refresh_from_db()
    assert email.next_attempt_at - first_retry == timedelta(seconds=240)
    services.retry_due_order_emails(now=email.next_attempt_at)
    email.refresh_from_db()
    assert email.status == OrderEmail.Status.FAILED
    assert email.attempts == 3
    assert email.next_attempt_at is None


def test_stale_sending_row_is_reclaimed(paid_order):
    email = OrderEmail.objects.get(order=paid_order)
    now = timezone.now()
    OrderEmail.objects.filter(pk=email.pk).update(status=OrderEmail.Status.SENDING, last_attempt_at=now)
    services.retry_due_order_emails(now=now + timedelta(minutes=1))
    assert len(mail.outbox) == 1
    services.retry_due_order_emails(now=now + timedelta(minutes=16))
    assert len(mail.outbox) == 2


def test_sent_email_not_sent_twice(paid_order):
    email = OrderEmail.objects.get(order=paid_order)
    services.deliver_order_email(email.pk)
    assert len(mail.outbox) == 1


def test_resend_sends_again(paid_order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = services.resend_order_email(paid_order)
    assert len(mail.outbox) == 2
    email.refresh_from_db()
    assert email.reason == OrderEmail.Reason.RESEND
    assert email.status == OrderEmail.Status.SENT


def test_resend_too_soon_rejected(paid_order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_order_email(paid_order)
        with pytest.raises(ResendTooSoon) as error:
            services.resend_order_email(paid_order)
    assert 0 < error.value.retry_after <= 60
    assert len(mail.outbox) == 2


def test_resend_allowed_after_interval(paid_order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.resend_order_email(paid_order)
        services.resend_order_email(paid_order, now=first.created_at + timedelta(minutes=1))
    assert len(mail.outbox) == 3


def test_email_sent_to_order_address(make_paid_order, user, event):
    make_paid_order(buyer=user, event=event, email="tickets-for-ada@example.org")
    assert mail.outbox[0].to == ["tickets-for-ada@example.org"]


def test_command_sends_due_retries(make_paid_order, user, event, settings):
    settings.MAILERS = FAILING_MAILER
    order = make_paid_order(buyer=user, event=event)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    OrderEmail.objects.filter(order=order).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    output = StringIO()
    call_command("send_ticket_emails", stdout=output)
    assert len(mail.outbox) == 1
    assert "1 sent" in output.getvalue()
