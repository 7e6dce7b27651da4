"""The order email: one HTML and plain-text message with every ticket's QR code inline.

Each request to send is an `OrderEmail` row. A background task (`tickets.tasks.send_order_email`)
delivers it after the surrounding transaction commits. A failed attempt is logged, recorded on the
row and retried with exponential backoff, up to TICKET_EMAIL_MAX_ATTEMPTS attempts in all. With a
task backend that can defer work (django_tasks_db) the retry is enqueued with `run_after`.
Otherwise `manage.py send_ticket_emails` sends the retries that are due.
"""
import logging
from datetime import timedelta

from anymail.message import attach_inline_image
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tickets import qr
from tickets.exceptions import ResendTooSoon, TicketNotFound
from tickets.models import OrderEmail, Ticket
from tickets.services.keys import ticket_token

logger = logging.getLogger(__name__)

RESEND_INTERVAL = timedelta(minutes=1)
# A row left in "sending" this long is taken to belong to a worker that died mid-send.
STALE_SENDING_AFTER = timedelta(minutes=15)


def request_order_email(order, *, reason, requested_by=None) -> OrderEmail:
    """Record a request to email the order's tickets and enqueue its delivery after commit."""
    email = OrderEmail.objects.create(
        order=order, reason=reason, requested_by=requested_by, recipient=order.email or order.buyer.email,
    )
    transaction.on_commit(lambda: enqueue_order_email(email.pk, order_number=order.number), robust=True)
    return email


def resend_order_email(order, *, requested_by=None, now=None) -> OrderEmail:
    """Send the order's tickets again, for the buyer's page or the organiser's admin action.

    Raises TicketNotFound when the order has no tickets, and ResendTooSoon when a resend was
    requested less than RESEND_INTERVAL ago, so a repeated click does not flood the inbox.
    """
    now = now or timezone.now()
    if not Ticket.objects.filter(order_line__order=order).exists():
        raise TicketNotFound(f"Order {order.number} has no tickets to send.")
    last_resend = (
        OrderEmail.objects.filter(order=order, reason=OrderEmail.Reason.RESEND)
        .order_by("-created_at").values_list("created_at", flat=True).first()
    )
    if last_resend is not None and now - last_resend < RESEND_INTERVAL:
        raise ResendTooSoon(retry_after=(last_resend + RESEND_INTERVAL - now).total_seconds())
    logger.info("Resending the tickets of order %s", order.number)
    return request_order_email(order, reason=OrderEmail.Reason.RESEND, requested_by=requested_by)


def enqueue_order_email(email_id: int, *, order_number: str, run_after=None) -> bool:
    """Hand a delivery to the task backend; return False when it must wait for `send_ticket_emails`."""
    from django.tasks import task_backends

    from tickets.tasks import send_order_email

    task = send_order_email
    if run_after is not None:
        if not task_backends[task.backend].supports_defer:
            return False
        task = task.using(run_after=run_after)
    try:
        task.enqueue(email_id)
    except Exception:
        # The row stays pending, so `send_ticket_emails` still finds it; the payment is unaffected.
        logger.exception("Could not enqueue the ticket email of order %s", order_number)
        return False
    return True


def deliver_order_email(email_id: int, *, now=None) -> OrderEmail:
    """Send one requested order email, recording the attempt; a failure schedules a retry or gives up."""
    now = now or timezone.now()
    # Claiming the row with a conditional update means two workers never send the same email.
    claimed = OrderEmail.objects.filter(pk=email_id, status=OrderEmail.Status.PENDING).update(
        status=OrderEmail.Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=None,
    )
    email = OrderEmail.objects.select_related("order__event", "order__buyer").get(pk=email_id)
    if not claimed:
        return email
    order = email.order
    try:
        build_order_email(email).send()
    except Exception as error:
        # Backends raise many unrelated types (smtplib, socket, Anymail errors), and none of
        # them may undo the order, so every failure is recorded and retried.
        return _record_failure(email, error, now=now)
    email.status = OrderEmail.Status.SENT
    email.sent_at = now
    email.last_error = ""
    email.save(update_fields=["status", "sent_at", "last_error"])
    logger.info("Sent the ticket email of order %s (attempt %d)", order.number, email.attempts)
    return email


def _record_failure(email: OrderEmail, error: Exception, *, now) -> OrderEmail:
    order_number = email.order.number
    email.last_error = f"{type(error).__name__}: {error}"[:300]
    max_attempts = settings.TICKET_EMAIL_MAX_ATTEMPTS
    if email.attempts >= max_attempts:
        email.status = OrderEmail.Status.FAILED
        email.save(update_fields=["status", "last_error"])
        logger.error(
            "Gave up sending the ticket email of order %s after %d attempts: %s",
            order_number, email.attempts, email.last_error,
        )
        return email
    delay = timedelta(seconds=settings.TICKET_EMAIL_RETRY_SECONDS * 4 ** (email.attempts - 1))
    email.status = OrderEmail.Status.PENDING
    email.next_attempt_at = now + delay
    email.save(update_fields=["status", "last_error", "next_attempt_at"])
    logger.warning(
        "Sending the ticket email of order %s failed (attempt %d of %d), retry after %s: %s",
        order_number, email.attempts, max_attempts, email.next_attempt_at.isoformat(), email.last_error,
    )
    enqueue_order_email(email.pk, order_number=order_number, run_after=email.next_attempt_at)
    return email


def retry_due_order_emails(*, now=None) -> list[OrderEmail]:
    """Deliver every pending email whose retry time has come, and reclaim rows of workers that died mid-send."""
    now = now or timezone.now()
    OrderEmail.objects.filter(
        status=OrderEmail.Status.SENDING, last_attempt_at__lt=now - STALE_SENDING_AFTER,
    ).update(status=OrderEmail.Status.PENDING)
    due = OrderEmail.objects.filter(status=OrderEmail.Status.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    return [deliver_order_email(email_id, now=now) for email_id in due.values_list("pk", flat=True)]


def build_order_email(email: OrderEmail) -> EmailMultiAlternatives:
    """Build the message for one order email: plain text, HTML and one inline QR PNG per ticket."""
    order = email.order
    tickets = list(
        Ticket.objects.filter(order_line__order=order)
        .select_related("order_line__ticket_type__event__signing_key")
        .order_by("id")
    )
    for ticket in tickets:
        ticket.url = settings.SITE_URL + ticket.get_absolute_url()
    context = {
        "order": order,
        "event": order.event,
        "tickets": tickets,
        "tickets_url": settings.SITE_URL + reverse("tickets:list"),
    }
    # Tasks run outside a request, so the language is set here rather than by the middleware.
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("tickets/email/order_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("tickets/email/order_email.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.recipient],
        )
        for position, ticket in enumerate(tickets, start=1):
            ticket.qr_cid = attach_inline_image(
                message, qr.qr_png(ticket_token(ticket)), filename=f"ticket-{position}.png", idstring="ticket",
            )
        message.attach_alternative(render_to_string("tickets/email/order_email.html", context), "text/html")
    return message
