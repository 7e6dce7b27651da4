"""Payment attempts: starting one at the gateway, and settling the ones left pending."""
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from payments.exceptions import (
    GatewayError,
    GatewayUnavailable,
    OrderNotPayable,
    PaymentDeclined,
    PaymentIncomplete,
)
from payments.gateways.base import checkout_callback_url
from payments.gateways.paystack import get_gateway
from payments.models import Order, Payment
from payments.services.confirmation import confirm_payment
from payments.signals import order_paid
from ticketing.errors import DomainError

logger = logging.getLogger(__name__)

# Paystack's verify can report "abandoned" for a transaction that was opened but not paid yet, so an
# early verify marks our payment abandoned although the buyer may still pay. Reconciliation re-checks
# abandoned payments up to this many hours old, in case such a late success had no webhook.
ABANDONED_RECHECK_HOURS = 24


def start_payment(order, *, now=None) -> Payment:
    """Create a payment attempt for a pending order and open it at the gateway.

    The payment row, with its unique reference, is committed before the gateway is called, so an
    attempt whose outcome is unknown (timeout, outage) can be verified later by that reference.
    A free order is marked paid at once without the gateway. Raises OrderNotPayable,
    GatewayUnavailable (the order keeps its hold) or GatewayError.
    """
    now = now or timezone.now()
    _check_payable(order, now)
    if order.total_minor == 0:
        return _confirm_free_order(order, now)
    payment = Payment.objects.create(order=order, amount_minor=order.total_minor, currency=order.currency)
    try:
        authorization = get_gateway().initialize(
            reference=payment.reference, email=order.email, amount_minor=payment.amount_minor,
            currency=payment.currency, callback_url=checkout_callback_url(),
            metadata={"order": order.number},
        )
    except GatewayUnavailable:
        payment.gateway_message = "The gateway was unavailable when the payment started."
        payment.save(update_fields=["gateway_message"])
        raise
    except GatewayError as error:
        payment.status = Payment.Status.FAILED
        payment.gateway_message = str(error.message)
        payment.save(update_fields=["status", "gateway_message"])
        raise
    payment.authorization_url = authorization.authorization_url
    payment.save(update_fields=["authorization_url"])
    logger.info("Payment %s started for order %s (%d minor units %s)",
                payment.reference, order.number, payment.amount_minor, payment.currency)
    return payment


def _check_payable(order, now):
    if order.status != Order.Status.PENDING:
        raise OrderNotPayable()
    if order.expires_at <= now:
        raise OrderNotPayable(
            "The seat hold of this order has ended. Choose your tickets again to place a new order."
        )


def _confirm_free_order(order, now) -> Payment:
    """Mark an order of free tickets paid in one locked transaction, with a zero payment for the record."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        _check_payable(order, now)
        payment = Payment.objects.create(
            order=order, amount_minor=0, currency=order.currency, status=Payment.Status.SUCCESS,
            gateway_message="Free tickets: no payment needed.", paid_at=now, verified_at=now,
            authorization_url=settings.SITE_URL + order.get_absolute_url(),
        )
        order.status = Order.Status.PAID
        order.paid_at = now
        order.save(update_fields=["status", "paid_at"])
        order_paid.send(sender=Order, order=order)
    logger.info("Free order %s confirmed with payment %s", order.number, payment.reference)
    return payment


@dataclass
class ReconcileReport:
    """Counts of what one reconciliation run did; `stopped` is set when the gateway became unavailable."""

    checked: int = 0
    paid: int = 0
    declined: int = 0
    incomplete: int = 0
    abandoned: int = 0
    abandoned_rechecked: int = 0
    other: int = 0
    orders_expired: int = 0
    stopped: str = ""
    errors: list = field(default_factory=list)


def reconcile_payments(*, older_than_minutes: int, now=None) -> ReconcileReport:
    """Verify started payments older than `older_than_minutes` again, then mark ended holds expired.

    A payment whose verification failed during an outage is settled here. A payment the gateway still
    reports as unfinished after its order's hold ended is marked abandoned. A webhook or verify can
    still confirm it later, because confirmation re-verifies every payment that is not successful.
    Abandoned payments younger than ABANDONED_RECHECK_HOURS whose order is still pending or expired
    are verified again too, so a late success becomes paid (or is flagged when its seats are gone).
    """
    now = now or timezone.now()
    report = ReconcileReport()
    for payment in _payments_to_reconcile(now - timedelta(minutes=older_than_minutes), now):
        report.checked += 1
        if payment.status == Payment.Status.ABANDONED:
            report.abandoned_rechecked += 1
        try:
            confirm_payment(payment.reference, now=now)
            report.paid += 1
        except GatewayUnavailable as error:
            report.stopped = str(error.message)
            logger.warning("Reconciliation stopped at payment %s: %s", payment.reference, error.message)
            return report
        except PaymentDeclined:
            report.declined += 1
        except PaymentIncomplete:
            report.incomplete += 1
            report.abandoned += _abandon_if_hold_ended(payment, now)
        except DomainError as error:
            report.other += 1
            report.errors.append(f"{payment.reference}: {error.message}")
            logger.warning("Reconciliation of payment %s: %s", payment.reference, error.message)
    report.orders_expired = _expire_ended_holds(now)
    return report


def _payments_to_reconcile(cutoff, now):
    """Return the payments started before `cutoff` whose outcome may still change, oldest first."""
    abandoned_recently = Q(
        status=Payment.Status.ABANDONED,
        created_at__gt=now - timedelta(hours=ABANDONED_RECHECK_HOURS),
        order__status__in=[Order.Status.PENDING, Order.Status.EXPIRED],
    )
    payments = Payment.objects.filter(Q(status=Payment.Status.INITIALIZED) | abandoned_recently, created_at__lte=cutoff)
    return payments.select_related("order").order_by("created_at", "pk")


def _abandon_if_hold_ended(payment, now) -> int:
    updated = Payment.objects.filter(
        pk=payment.pk, status=Payment.Status.INITIALIZED, order__expires_at__lte=now,
    ).update(status=Payment.Status.ABANDONED, gateway_message="Not paid before the seat hold ended.")
    if updated:
        logger.info("Payment %s marked abandoned: order %s hold ended", payment.reference, payment.order.number)
    return updated


def _expire_ended_holds(now) -> int:
    """Mark pending orders whose hold ended as expired; availability already ignores them."""
    count = Order.objects.filter(status=Order.Status.PENDING, expires_at__lte=now).update(status=Order.Status.EXPIRED)
    if count:
        logger.info("Marked %d pending orders expired", count)
    return count
