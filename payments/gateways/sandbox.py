"""A local stand-in for Paystack, used when no secret key is configured, so checkout works offline.

`initialize` points the buyer at a local page, labelled as a simulation, with "Pay" and "Decline"
buttons. The page records the outcome here and sends the browser to the callback the way Paystack
does. Transactions live in Django's cache for a day. One that the cache lost, for example when a
server with the local-memory cache restarts, is rebuilt from its payment while that is unpaid.

NOTE: the default local-memory cache belongs to one process. Several workers need a shared cache
(CACHE_URL), so that the sandbox page and the callback see the same transactions. A buyer's
Pay or Decline lives only in the cache, so a restart between that choice and the callback loses it.
"""
import logging

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from payments.exceptions import TransactionNotFound
from payments.gateways.base import Authorization, Refund, Verification, checkout_callback_url
from payments.models import Payment

logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 60 * 60


def _key(reference: str) -> str:
    return f"payments:sandbox:{reference}"


class SandboxGateway:
    """Paystack's initialize, verify and refund, simulated without any network call."""

    is_sandbox = True

    def initialize(self, *, reference, email, amount_minor, currency, callback_url, metadata=None) -> Authorization:
        """Record the transaction and return the URL of the local simulated checkout page."""
        _record_new(reference, email, amount_minor, currency, callback_url)
        url = settings.SITE_URL + reverse("payments:sandbox", kwargs={"reference": reference})
        return Authorization(reference=reference, authorization_url=url, access_code="sandbox")

    def verify(self, reference) -> Verification:
        """Return the simulated transaction's state; an unknown reference is not found, as on Paystack."""
        transaction = self.get(reference)
        return Verification(
            reference=reference, status=transaction["status"], amount_minor=transaction["amount"],
            currency=transaction["currency"], domain="test", message=transaction["gateway_response"],
            paid_at=transaction["paid_at"],
            audit={key: transaction[key] for key in ("reference", "status", "amount", "currency", "gateway_response")},
        )

    def refund(self, reference, amount_minor=None) -> Refund:
        """Simulate a refund; it is processed at once because the sandbox sends no webhooks."""
        transaction = self.get(reference)
        amount = transaction["amount"] if amount_minor is None else int(amount_minor)
        logger.info("Sandbox refunded %s minor units of %s", amount, reference)
        return Refund(reference=reference, status="processed", amount_minor=amount, audit={"sandbox": True})

    def get(self, reference) -> dict:
        """Return the simulated transaction, rebuilt if the cache lost it, or raise TransactionNotFound."""
        transaction = cache.get(_key(reference))
        if transaction is None:
            transaction = _rebuild(reference)
        return transaction

    def complete(self, reference, *, approve: bool) -> dict:
        """Record the buyer's choice on the simulated checkout page and return the transaction."""
        transaction = self.get(reference)
        if transaction["status"] != "success":
            transaction["status"] = "success" if approve else "failed"
            transaction["gateway_response"] = "Approved" if approve else "Declined by the buyer in the sandbox"
            transaction["paid_at"] = timezone.now() if approve else None
            cache.set(_key(reference), transaction, CACHE_SECONDS)
        logger.info("Sandbox transaction %s is now %s", reference, transaction["status"])
        return transaction


def _record_new(reference, email, amount_minor, currency, callback_url) -> dict:
    """Store a transaction that the buyer has not decided yet, as Paystack reports an unpaid one."""
    transaction = {
        "reference": reference, "email": email, "amount": int(amount_minor), "currency": currency,
        "callback_url": callback_url, "status": "abandoned", "gateway_response": "The buyer has not paid yet.",
        "paid_at": None, "domain": "test",
    }
    cache.set(_key(reference), transaction, CACHE_SECONDS)
    return transaction


def _rebuild(reference) -> dict:
    """Store again a transaction that the cache lost, from its payment row, or raise TransactionNotFound.

    Only a payment still `initialized` is rebuilt, with the values that start_payment passed to
    initialize. A settled payment needs no checkout page, and its outcome is already on its row.
    """
    payment = (
        Payment.objects.select_related("order")
        .filter(reference=reference, status=Payment.Status.INITIALIZED)
        .first()
    )
    if payment is None:
        raise TransactionNotFound()
    logger.info("Sandbox transaction %s was not in the cache, so it is rebuilt from its payment", reference)
    return _record_new(reference, payment.order.email, payment.amount_minor, payment.currency, checkout_callback_url())
