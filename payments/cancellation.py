"""Cancelling orders and events, and refunding what was paid through the gateway.

Cancelling an order runs in one transaction with the order row locked. A pending order becomes
`cancelled` and a paid one `refunded`, which frees its seats. Each successful payment gets a pending
`Refund` row, `order_cancelled` is sent so that the tickets app voids the tickets, and the buyer's
email is queued for after the commit. The refunds are then sent to the gateway outside the
transaction (record the intent, call out, record the result). A refund that the gateway could not
take stays pending, and `retry_pending_refunds` (run by `manage.py retry_refunds`) sends it again.
"""
import logging
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

from anymail.exceptions import AnymailError
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from events.currencies import format_money
from events.models import Event
from payments.exceptions import GatewayError, GatewayUnavailable
from payments.gateways import paystack
from payments.models import Order, Payment, Refund
from payments.signals import order_cancelled

logger = logging.getLogger(__name__)

CANCELLABLE = (Order.Status.PENDING, Order.Status.PAID)
# A refund left in "sending" this long belongs to a process that died during the gateway call.
STALE_SENDING_AFTER = timedelta(minutes=15)


@dataclass
class OrderCancellation:
    order: Order
    cancelled: bool
    refunds: list[Refund] = field(default_factory=list)

    @property
    def refunds_pending(self) -> int:
        return sum(1 for refund in self.refunds if refund.status == Refund.Status.PENDING)


@dataclass
class EventCancellation:
    event: Event
    status_changed: bool
    orders: list[OrderCancellation] = field(default_factory=list)

    @property
    def refunds(self) -> list[Refund]:
        return [refund for result in self.orders for refund in result.refunds]

    @property
    def refunds_pending(self) -> int:
        return sum(result.refunds_pending for result in self.orders)


def cancel_order(order: Order, *, by=None, send_now: bool = True) -> OrderCancellation:
    """Cancel a pending or paid order, void its tickets, email the buyer and refund its payments.

    With `send_now=False` the refunds are only recorded as pending, for the caller to send.
    An order that is already cancelled, refunded, expired or failed is left alone and reported with
    `cancelled=False`. Gateway errors do not raise: the refund stays pending (or failed) instead.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("event").get(pk=order.pk)
        # Re-read under the lock: a confirmation may have marked the order paid a moment ago, and a
        # second cancellation must not refund twice.
        if order.status not in CANCELLABLE:
            return OrderCancellation(order=order, cancelled=False)
        was_paid = order.status == Order.Status.PAID
        order.status = Order.Status.REFUNDED if was_paid else Order.Status.CANCELLED
        order.save(update_fields=["status"])
        refunds = _record_refunds(order, by) if was_paid else []
        order_cancelled.send(sender=Order, order=order, by=by)
        order_id = order.pk
        transaction.on_commit(lambda: send_cancellation_email(order_id), robust=True)
    logger.info("Cancelled order %s (%s) by %s", order.number, order.status, _username(by))
    if send_now:
        refunds = send_refunds_after_commit(refunds)
    return OrderCancellation(order=order, cancelled=True, refunds=refunds)


def cancel_event(event: Event, *, by=None) -> EventCancellation:
    """Cancel an event and every pending or paid order of it (see `cancel_order`).

    The event's status changes first, in its own transaction: order creation locks the event row and
    checks the status, so once this commits no new order can appear. Once the gateway refuses a call
    (circuit open, timeout), the remaining refunds are recorded without a call and left pending.
    """
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        status_changed = locked.status != Event.Status.CANCELLED
        if status_changed:
            Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED, updated_at=timezone.now())
    if status_changed:
        logger.info("Cancelled event %s by %s", event.pk, _username(by))
    event.status = Event.Status.CANCELLED

    result = EventCancellation(event=event, status_changed=status_changed)
    for order in Order.objects.filter(event=event, status__in=CANCELLABLE).order_by("pk"):
        result.orders.append(cancel_order(order, by=by, send_now=False))
    sent = iter(send_refunds_after_commit(result.refunds))
    for cancellation in result.orders:
        cancellation.refunds = [next(sent) for _refund in cancellation.refunds]
    return result


def send_refunds_after_commit(refunds: list[Refund]) -> list[Refund]:
    """Send refunds now, or after the caller's transaction commits; return them as they now stand.

    A gateway call must never hold a transaction open (the admin's change page runs its actions
    inside one), so inside an atomic block the refunds go out on commit and are returned unchanged.
    """
    if not refunds:
        return []
    if transaction.get_connection().in_atomic_block:
        refund_ids = [refund.pk for refund in refunds]
        transaction.on_commit(lambda: send_refunds(Refund.objects.filter(pk__in=refund_ids)), robust=True)
        return refunds
    return send_refunds(refunds)


def send_refunds(refunds) -> list[Refund]:
    """Send refunds one by one; once the gateway cannot take one, leave the rest pending without a call."""
    results = []
    gateway_down = False
    for refund in refunds:
        if not gateway_down:
            refund = send_refund(refund)
            gateway_down = refund.status == Refund.Status.PENDING
        results.append(refund)
    return results


def _record_refunds(order: Order, by) -> list[Refund]:
    """Create a pending refund for each successful payment of the order that has none yet."""
    # A subquery, not `refund__isnull`, because PostgreSQL rejects FOR UPDATE on the outer join that needs.
    already_refunded = Refund.objects.filter(payment=OuterRef("pk"))
    payments = list(
        Payment.objects.select_for_update()
        .filter(~Exists(already_refunded), order=order, status=Payment.Status.SUCCESS, amount_minor__gt=0)
        .order_by("pk")
    )
    return [
        Refund.objects.create(
            payment=payment, order=order, amount_minor=payment.amount_minor, currency=payment.currency,
            requested_by=by,
        )
        for payment in payments
    ]


def send_refund(refund: Refund, *, now=None) -> Refund:
    """Ask the gateway to refund one pending refund, record its response and return the refund, reloaded.

    The refund is claimed with a conditional update first, so two processes never send it together.
    A gateway fault or open circuit puts it back to pending; a rejection marks it failed for the
    organiser to resolve in the gateway's dashboard.
    """
    now = now or timezone.now()
    claimable = Q(status=Refund.Status.PENDING) | Q(
        status=Refund.Status.SENDING, last_attempt_at__lt=now - STALE_SENDING_AFTER,
    )
    claimed = Refund.objects.filter(claimable, pk=refund.pk).update(
        status=Refund.Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now,
    )
    if not claimed:
        return Refund.objects.get(pk=refund.pk)
    refund = Refund.objects.select_related("payment", "order").get(pk=refund.pk)
    reference = refund.payment.reference
    try:
        gateway_refund = paystack.refund(reference, refund.amount_minor)
    except GatewayUnavailable as error:
        logger.warning("Refund of %s for order %s not sent, left pending: %s", reference, refund.order.number, error)
        _finish(refund, Refund.Status.PENDING, last_error=str(error.message)[:300])
    except GatewayError as error:
        # NOTE: after a timeout the first attempt may have reached Paystack. A rejected retry can then
        # mean that the transaction was refunded already, which the organiser checks in the dashboard.
        logger.error("Gateway rejected the refund of %s for order %s: %s", reference, refund.order.number, error)
        _finish(refund, Refund.Status.FAILED, last_error=str(error.message)[:300])
    else:
        status = {"processed": Refund.Status.PROCESSED, "failed": Refund.Status.FAILED}.get(
            gateway_refund.status, Refund.Status.SENT,
        )
        logger.info("Refund of %s for order %s accepted by the gateway (%s)", reference, refund.order.number,
                    gateway_refund.status)
        _finish(refund, status, last_error="", gateway_response=gateway_refund.audit, sent_at=timezone.now())
    return Refund.objects.select_related("payment", "order").get(pk=refund.pk)


def _finish(refund: Refund, status, **fields):
    Refund.objects.filter(pk=refund.pk, status=Refund.Status.SENDING).update(status=status, **fields)


def retry_pending_refunds(*, now=None, limit: int = 100) -> dict[str, int]:
    """Cancel leftover open orders of cancelled events, then send pending refunds again, oldest first.

    Stops at the first refund the gateway cannot take, because the next ones would fail the same
    way. Returns counts by outcome, for the command's output.
    """
    now = now or timezone.now()
    counts = {"orders_cancelled": 0, "sent": 0, "still_pending": 0, "failed": 0}
    leftovers = Order.objects.filter(event__status=Event.Status.CANCELLED, status__in=CANCELLABLE)
    for order in leftovers.order_by("pk")[:limit]:
        counts["orders_cancelled"] += cancel_order(order, send_now=False).cancelled

    due = Refund.objects.filter(
        Q(status=Refund.Status.PENDING)
        | Q(status=Refund.Status.SENDING, last_attempt_at__lt=now - STALE_SENDING_AFTER)
    ).order_by("created_at", "pk")
    for refund in send_refunds(due[:limit]):
        if refund.status == Refund.Status.PENDING:
            counts["still_pending"] += 1
        elif refund.status == Refund.Status.FAILED:
            counts["failed"] += 1
        else:
            counts["sent"] += 1
    return counts


def record_refund_outcome(*, transaction_reference: str, status: str) -> Refund | None:
    """Apply the outcome of a `refund.processed` or `refund.failed` webhook; return the refund, if any.

    For the webhook view: pass the event's `data.transaction_reference` and `data.status`.
    """
    outcome = {"processed": Refund.Status.PROCESSED, "failed": Refund.Status.FAILED}.get(str(status).lower())
    refund = Refund.objects.filter(payment__reference=transaction_reference).first()
    if refund is None or outcome is None:
        return refund
    # A processed refund is final; a late or repeated "failed" must not overwrite it.
    Refund.objects.filter(pk=refund.pk).exclude(status=Refund.Status.PROCESSED).update(status=outcome)
    logger.info("Refund of %s is now %s (webhook)", transaction_reference, outcome)
    refund.refresh_from_db()
    return refund


def send_cancellation_email(order_id: int) -> None:
    """Tell the buyer that the order was cancelled and, when paid, that a refund is on its way."""
    order = Order.objects.select_related("event").get(pk=order_id)
    lines = [
        f"Your order {order.number} for {order.event.title} has been cancelled by the organiser.",
        "Your tickets are no longer valid.",
    ]
    if order.status == Order.Status.REFUNDED:
        lines.append(
            f"A refund of {format_money(order.total, order.currency)} to the card or account you paid with "
            "has been requested. Banks may take several working days to show it."
        )
    lines.append(f"Order details: {settings.SITE_URL}{order.get_absolute_url()}")
    try:
        send_mail(
            f"Order {order.number} cancelled: {order.event.title}", "\n\n".join(lines) + "\n",
            settings.DEFAULT_FROM_EMAIL, [order.email],
        )
    except (smtplib.SMTPException, OSError, AnymailError):
        # The cancellation remains valid whatever the mail server does, so log the failure for a manual follow-up.
        logger.exception("Could not email the cancellation of order %s", order.number)
        return
    logger.info("Emailed the cancellation of order %s", order.number)


def _username(user) -> str:
    return user.get_username() if user is not None else "the system"
