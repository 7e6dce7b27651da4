"""Gateway results in the project's own types, the same for Paystack and the sandbox."""
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.dateparse import parse_datetime

SUCCESS = "success"
# Paystack's outcomes that end an attempt without payment; `reversed` means the money went back.
DECLINED = frozenset({"failed", "abandoned", "reversed"})
# Fields of the verification data kept on the payment for audit; the rest (card, customer) is dropped.
AUDIT_FIELDS = (
    "id", "domain", "status", "reference", "amount", "requested_amount", "currency",
    "gateway_response", "paid_at", "channel", "fees",
)


def checkout_callback_url() -> str:
    """Return the absolute URL that the gateway sends the buyer's browser back to after checkout."""
    return settings.SITE_URL + reverse("payments:callback")


@dataclass(frozen=True)
class Authorization:
    reference: str
    authorization_url: str
    access_code: str = ""


@dataclass(frozen=True)
class Verification:
    """The gateway's verified state of one transaction; amounts in minor units."""

    reference: str
    status: str
    amount_minor: int | None
    currency: str
    domain: str = ""
    message: str = ""
    paid_at: datetime | None = None
    audit: dict = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return self.status == SUCCESS

    @property
    def declined(self) -> bool:
        return self.status in DECLINED


@dataclass(frozen=True)
class Refund:
    reference: str
    status: str
    amount_minor: int | None
    audit: dict = field(default_factory=dict)


def parse_verification(data) -> Verification:
    """Build a Verification from the `data` of Paystack's verify response or `charge.success` webhook.

    Paystack's fields vary: `metadata` may be an object, a string or a number, and `requested_amount`
    (the price before fees passed to the customer) is present only on some accounts. Missing or odd
    values become None or "" so the caller's comparison fails instead of raising.
    """
    data = data if isinstance(data, dict) else {}
    amount = data.get("requested_amount")
    if not _is_int(amount):
        amount = data.get("amount")
    return Verification(
        reference=str(data.get("reference") or ""),
        status=str(data.get("status") or "").lower(),
        amount_minor=amount if _is_int(amount) else None,
        currency=str(data.get("currency") or "").upper(),
        domain=str(data.get("domain") or ""),
        message=str(data.get("gateway_response") or "")[:300],
        paid_at=_parse_time(data.get("paid_at") or data.get("paidAt")),
        audit={key: data[key] for key in AUDIT_FIELDS if key in data},
    )


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_time(value):
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None
