"""The one confirmation path for the browser callback, the API verify call and the webhook."""
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from payments.exceptions import (
    AmountMismatch,
    PaymentDeclined,
    PaymentIncomplete,
    PaymentNeedsReview,
    PaymentNotFound,
    SoldOut,
    TransactionNotFound,
)
from payments.gateways.paystack import get_gateway
from payments.models import Order, Payment
from payments.services.seats import check_seats, lock_event_and_types
from payments.signals import order_paid

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Confirmation:
    """A confirmed payment with its paid order and the order's tickets."""

    order: Order
    payment: Payment
    tickets: list

    status = "success"


def confirm_payment(reference, *, buyer=None, verification=None, now=None) -> Confirmation:
    """Verify a payment by its reference and, once only, mark its order paid and issue the tickets.

    Idempotent: a repeat returns the same order and tickets without calling the gateway. `buyer`
    limits the lookup to that user's payments (another user's reference is not found).
    `verification` is gateway data that is already authenticated, such as a signed webhook body;
    without it the gateway is asked. Raises PaymentNotFound, PaymentDeclined, PaymentIncomplete,
    AmountMismatch, PaymentNeedsReview or GatewayUnavailable; the last leaves everything unchanged.
    """
    payment = _find_payment(reference, buyer)
    if payment.status == Payment.Status.SUCCESS:
        return _confirmation(payment)
    if verification is None:
        verification = _verify(reference)
    error = _apply(payment.pk, verification, now or timezone.now())
    if error is not None:
        raise error
    return _confirmation(payment)


def order_tickets(order) -> list:
    """Return the order's issued tickets, through the reverse relation of its lines."""
    lines = order.lines.prefetch_related("tickets").select_related("ticket_type")
    return [ticket for line in lines for ticket in line.tickets.all()]


def _find_payment(reference, buyer) -> Payment:
    payments = Payment.objects.all()
    if buyer is not None:
        payments = payments.filter(order__buyer=buyer)
    try:
        return payments.get(reference=reference)
    except Payment.DoesNotExist:
        raise PaymentNotFound() from None


def _verify(reference):
    # Outside any transaction: no row lock is held while waiting for the network.
    try:
        return get_gateway().verify(reference)
    except TransactionNotFound:
        logger.info("Payment %s is not known to the gateway yet", reference)
        return None


def _confirmation(payment) -> Confirmation:
    payment.refresh_from_db()
    if payment.needs_review:
        raise PaymentNeedsReview()
    order = Order.objects.select_related("event").get(pk=payment.order_id)
    return Confirmation(order=order, payment=payment, tickets=order_tickets(order))


def _apply(payment_id, verification, now):
    """Record the verification under lock and settle the order; return the exception to raise, or None."""
    with transaction.atomic():
        order_id = Payment.objects.values_list("order_id", flat=True).get(pk=payment_id)
        order = Order.objects.select_for_update().get(pk=order_id)
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.status == Payment.Status.SUCCESS:
            # Another caller confirmed it while this one waited for the lock.
            return None
        if verification is None:
            return PaymentIncomplete()
        _record(payment, verification, now)
        if verification.declined:
            return _decline(order, payment, verification)
        if not verification.succeeded:
            payment.save()
            return PaymentIncomplete()
        mismatch = _mismatch(order, payment, verification)
        if mismatch:
            _flag(payment, mismatch, status=Payment.Status.FAILED)
            return AmountMismatch()
        payment.status = Payment.Status.SUCCESS
        payment.paid_at = verification.paid_at or now
        payment.save()
        _fulfil(order, payment, now)
    return None


def _record(payment, verification, now):
    payment.gateway_response = verification.audit
    payment.gateway_message = verification.message
    payment.verified_at = now


def _decline(order, payment, verification):
    """Mark the attempt failed and keep the order pending, so the buyer can try again while the hold lasts."""
    payment.status = Payment.Status.ABANDONED if verification.status == "abandoned" else Payment.Status.FAILED
    payment.save()
    reason = verification.message or verification.status
    if order.status == Order.Status.PENDING:
        order.failure_reason = reason
        order.save(update_fields=["failure_reason"])
    logger.info("Payment %s of order %s was %s: %s", payment.reference, order.number, verification.status, reason)
    return PaymentDeclined(_("The payment was not completed: %(reason)s") % {"reason": reason})


def _mismatch(order, payment, verification) -> str:
    """Return why the verified transaction does not pay this order, or "" when it does."""
    if verification.reference != payment.reference:
        return f"the gateway returned reference {verification.reference!r}"
    if verification.amount_minor != payment.amount_minor or payment.amount_minor != order.total_minor:
        return f"paid {verification.amount_minor} minor units, the order costs {order.total_minor}"
    if verification.currency != order.currency:
        return f"paid in {verification.currency!r}, the order is in {order.currency}"
    if settings.PAYSTACK_SECRET_KEY.startswith("sk_live_") and verification.domain != "live":
        return f"a {verification.domain or 'unknown'}-mode payment for a live order"
    return ""


def _fulfil(order, payment, now):
    """Mark the order paid and send order_paid, unless the order can no longer take this payment."""
    if order.status == Order.Status.PAID:
        _flag(payment, f"order {order.number} was already paid by another payment")
        return
    if order.status not in (Order.Status.PENDING, Order.Status.EXPIRED):
        _flag(payment, f"order {order.number} is {order.status}")
        return
    if order.status == Order.Status.EXPIRED or order.expires_at <= now:
        if not _seats_still_free(order, now):
            _flag(payment, f"the hold of order {order.number} ended and its seats were sold meanwhile")
            return
    order.status = Order.Status.PAID
    order.paid_at = payment.paid_at
    order.failure_reason = ""
    order.save(update_fields=["status", "paid_at", "failure_reason"])
    logger.info("Order %s paid by payment %s", order.number, payment.reference)
    # Receivers run in this transaction: the tickets app issues one ticket per seat here.
    order_paid.send(sender=Order, order=order)


def _seats_still_free(order, now) -> bool:
    """Check, under the seat locks, that a late payment can still take the order's seats."""
    quantities = {line.ticket_type_id: line.quantity for line in order.lines.all()}
    event, types = lock_event_and_types(order.event_id, sorted(quantities))
    try:
        check_seats(event, types, quantities, now=now)
    except SoldOut:
        return False
    return True


def _flag(payment, reason, *, status=Payment.Status.SUCCESS):
    """Record money that could not become tickets, for the organiser to refund or resolve."""
    payment.status = status
    payment.needs_review = True
    payment.review_reason = reason[:300]
    payment.save()
    logger.warning("Payment %s needs review: %s", payment.reference, reason)
