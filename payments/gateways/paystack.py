"""Paystack's transaction API behind a circuit breaker: the only module that speaks Paystack HTTP.

Every call sends `Authorization: Bearer <PAYSTACK_SECRET_KEY>` to `PAYSTACK_BASE_URL` with a
connect and a read timeout, and amounts cross this module in minor units. Calls run through one
circuit breaker named "paystack". Only gateway faults count toward opening it: connection errors,
timeouts, 5xx responses and bodies that are not Paystack's JSON envelope. A 4xx is about our request,
so it is raised as `GatewayError` and does not trip the circuit. Callers see every fault, and every
call refused by the open circuit, as `GatewayUnavailable` carrying the seconds to wait.

With no secret key configured, `get_gateway()` returns the local sandbox instead.
"""
import hashlib
import hmac
import logging
import threading

import requests
from circuitbreaker import STATE_CLOSED, STATE_OPEN, CircuitBreaker, CircuitBreakerError
from django.conf import settings

from payments.exceptions import GatewayError, GatewayUnavailable, TransactionNotFound
from payments.gateways.base import Authorization, Refund, Verification, parse_verification

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait after a single fault while the circuit is still closed.
FAULT_RETRY_SECONDS = 5
# Seconds to wait after Paystack's 429 when it sends no Retry-After header.
RATE_LIMIT_RETRY_SECONDS = 60


class GatewayFault(Exception):
    """Paystack failed to respond usefully: the only exception the circuit breaker counts."""


class PaystackCircuitBreaker(CircuitBreaker):
    """A circuit breaker that reads its limits from settings at each use and logs state changes."""

    # circuitbreaker 2.1 stores these two in __init__; properties keep them in step with settings,
    # so override_settings in tests and a changed environment take effect without a new breaker.
    @property
    def _failure_threshold(self):
        return settings.PAYSTACK_CIRCUIT_FAILURE_THRESHOLD

    @_failure_threshold.setter
    def _failure_threshold(self, value):
        pass

    @property
    def _recovery_timeout(self):
        return settings.PAYSTACK_CIRCUIT_RECOVERY_SECONDS

    @_recovery_timeout.setter
    def _recovery_timeout(self, value):
        pass

    def __exit__(self, exc_type, exc_value, traceback):
        was_open = self._state == STATE_OPEN
        opened_at = self._opened
        result = super().__exit__(exc_type, exc_value, traceback)
        if self._state == STATE_OPEN and (not was_open or self._opened != opened_at):
            logger.error(
                "Paystack circuit opened after %d gateway faults; calls fail fast for %d seconds (last fault: %s)",
                self._failure_count, self._recovery_timeout, exc_value,
            )
        elif was_open and self._state == STATE_CLOSED:
            logger.warning("Paystack circuit closed: a trial call succeeded")
        return result


breaker = PaystackCircuitBreaker(name="paystack", expected_exception=GatewayFault)
_local = threading.local()


def reset_circuit():
    """Close the Paystack circuit and forget its faults (for tests and operators)."""
    breaker.reset()


def retry_after_seconds() -> int:
    """Return how long a client should wait before trying a payment again."""
    if breaker.opened:
        return max(1, breaker.open_remaining)
    return FAULT_RETRY_SECONDS


def verify_signature(raw_body: bytes, signature: str | None, secret_key: str | None = None) -> bool:
    """Check Paystack's `x-paystack-signature`: hex HMAC-SHA512 of the raw body keyed with the secret key."""
    secret_key = settings.PAYSTACK_SECRET_KEY if secret_key is None else secret_key
    if not secret_key or not signature:
        return False
    # compare_digest raises TypeError for str with non-ASCII characters, and a hex digest never has any.
    if not signature.isascii():
        return False
    expected = hmac.new(secret_key.encode(), raw_body, hashlib.sha512).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


def _session() -> requests.Session:
    # One session per thread: connections are reused, and requests.Session is not documented as thread-safe.
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


@breaker
def _send(method: str, url: str, *, secret_key: str, payload=None):
    """Send one request and return (status code, body, headers); raise GatewayFault when Paystack failed."""
    try:
        response = _session().request(
            method, url, json=payload,
            headers={"Authorization": f"Bearer {secret_key}", "Accept": "application/json"},
            timeout=(settings.PAYSTACK_CONNECT_TIMEOUT, settings.PAYSTACK_READ_TIMEOUT),
        )
    except requests.RequestException as error:
        raise GatewayFault(f"{type(error).__name__} on {method} {url}") from error
    if response.status_code >= 500:
        raise GatewayFault(f"HTTP {response.status_code} on {method} {url}")
    try:
        body = response.json()
    except ValueError:
        raise GatewayFault(f"a body that is not JSON (HTTP {response.status_code}) on {method} {url}") from None
    if not isinstance(body, dict) or "status" not in body:
        raise GatewayFault(f"JSON without Paystack's envelope (HTTP {response.status_code}) on {method} {url}")
    return response.status_code, body, response.headers


class PaystackGateway:
    """Paystack's transaction API: initialize, verify and refund."""

    is_sandbox = False

    def __init__(self, secret_key: str, base_url: str):
        self.secret_key = secret_key
        self.base_url = base_url.rstrip("/")

    def initialize(self, *, reference, email, amount_minor, currency, callback_url, metadata=None) -> Authorization:
        """Start a transaction for our own reference and return the page the buyer pays on."""
        payload = {
            "reference": reference, "email": email, "amount": int(amount_minor), "currency": currency,
            "callback_url": callback_url, "metadata": metadata or {},
        }
        data = self._call("POST", "/transaction/initialize", reference, payload)
        if not isinstance(data, dict) or not data.get("authorization_url"):
            raise GatewayError()
        return Authorization(
            reference=reference, authorization_url=data["authorization_url"], access_code=data.get("access_code", ""),
        )

    def verify(self, reference) -> Verification:
        """Fetch the transaction's real state by our reference."""
        data = self._call("GET", f"/transaction/verify/{requests.utils.quote(reference, safe='')}", reference)
        return parse_verification(data)

    def refund(self, reference, amount_minor=None) -> Refund:
        """Ask Paystack to refund a transaction, in full or `amount_minor`; the outcome arrives by webhook."""
        payload = {"transaction": reference}
        if amount_minor is not None:
            payload["amount"] = int(amount_minor)
        data = self._call("POST", "/refund", reference, payload)
        data = data if isinstance(data, dict) else {}
        amount = data.get("amount")
        return Refund(
            reference=reference, status=str(data.get("status") or "pending"),
            amount_minor=int(amount) if str(amount).isdigit() else None,
            audit={key: data[key] for key in ("id", "status", "amount", "currency") if key in data},
        )

    def _call(self, method, path, reference, payload=None):
        """Call Paystack and return the envelope's `data`, translating every failure to a domain exception."""
        url = self.base_url + path
        try:
            status, body, headers = _send(method, url, secret_key=self.secret_key, payload=payload)
        except CircuitBreakerError:
            logger.warning("Paystack circuit is open; %s %s for %s was not sent", method, path, reference)
            raise GatewayUnavailable(retry_after_seconds()) from None
        except GatewayFault as fault:
            logger.warning("Paystack fault on %s for %s: %s", path, reference, fault)
            raise GatewayUnavailable(retry_after_seconds()) from fault
        message = str(body.get("message") or "")[:300]
        if status == 429:
            logger.warning("Paystack rate limit hit on %s for %s", path, reference)
            raise GatewayUnavailable(_retry_after_header(headers))
        if status in (400, 404) and "not found" in message.lower():
            raise TransactionNotFound()
        if status >= 400 or body.get("status") is not True:
            logger.error("Paystack rejected %s for %s: HTTP %s %s (code %s)", path, reference, status, message,
                         body.get("code", ""))
            raise GatewayError()
        return body.get("data")


def _retry_after_header(headers) -> int:
    value = str(headers.get("Retry-After", ""))
    return int(value) if value.isdigit() else RATE_LIMIT_RETRY_SECONDS


def get_gateway():
    """Return Paystack when a secret key is configured, otherwise the local sandbox."""
    if settings.PAYSTACK_SECRET_KEY:
        return PaystackGateway(settings.PAYSTACK_SECRET_KEY, settings.PAYSTACK_BASE_URL)
    from payments.gateways.sandbox import SandboxGateway

    return SandboxGateway()


def initialize(**kwargs) -> Authorization:
    """Start a transaction on the active gateway; see PaystackGateway.initialize."""
    return get_gateway().initialize(**kwargs)


def verify(reference) -> Verification:
    """Verify a transaction on the active gateway."""
    return get_gateway().verify(reference)


def refund(reference, amount_minor=None) -> Refund:
    """Refund a transaction on the active gateway, in full or `amount_minor` (through the circuit breaker)."""
    return get_gateway().refund(reference, amount_minor)
