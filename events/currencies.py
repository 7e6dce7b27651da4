"""Currencies that Paystack settles, with their minor units.

Every currency here has 100 minor units to the major unit (kobo, pesewas, cents), which is what
Paystack's `amount` field expects.
"""
from decimal import ROUND_HALF_UP, Decimal

CURRENCIES = {
    "NGN": {"name": "Nigerian naira", "symbol": "₦"},
    "GHS": {"name": "Ghanaian cedi", "symbol": "GH₵"},
    "ZAR": {"name": "South African rand", "symbol": "R"},
    "KES": {"name": "Kenyan shilling", "symbol": "KSh"},
    "USD": {"name": "US dollar", "symbol": "$"},
}
CURRENCY_CHOICES = [(code, f"{code} ({info['name']})") for code, info in CURRENCIES.items()]
MINOR_UNITS = 100


def to_minor_units(amount: Decimal) -> int:
    """Convert a Decimal amount in major units to an integer in minor units (kobo, cents)."""
    return int((Decimal(amount) * MINOR_UNITS).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def from_minor_units(amount_minor: int) -> Decimal:
    """Convert an integer amount in minor units to a Decimal in major units."""
    return (Decimal(amount_minor) / MINOR_UNITS).quantize(Decimal("0.01"))


def format_money(amount: Decimal, currency: str) -> str:
    """Format an amount for display, for example "₦5,000.00" or "GH₵12.50"."""
    symbol = CURRENCIES.get(currency, {}).get("symbol", currency + " ")
    return f"{symbol}{Decimal(amount):,.2f}"
