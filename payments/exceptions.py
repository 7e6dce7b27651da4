"""Domain exceptions of checkout and payments, each with the HTTP status of its API response."""
from django.utils.translation import gettext_lazy as _

from ticketing.errors import DomainError


class SoldOut(DomainError):
    status_code = 409
    code = "sold_out"
    default_message = _("Sold out: there are not enough seats left for this order.")


class SalesClosed(DomainError):
    status_code = 409
    code = "sales_closed"
    default_message = _("Tickets for this event are not on sale right now.")


class InvalidQuantity(DomainError):
    status_code = 400
    code = "invalid_quantity"
    default_message = _("Choose at least one ticket.")


class HoldLimitReached(DomainError):
    """The buyer's unexpired pending orders and this one together exceed a ticket type's `max_per_order`."""

    status_code = 409
    code = "hold_limit"
    default_message = _("You already hold as many of these tickets as one buyer may hold at a time.")


class EventNotFound(DomainError):
    status_code = 404
    code = "not_found"
    default_message = _("No such event.")


class OrderNotFound(DomainError):
    """No order with this number belongs to the caller; another user's order is not found either."""

    status_code = 404
    code = "not_found"
    default_message = _("No such order.")


class OrderNotPayable(DomainError):
    """The order is paid, cancelled, refunded or its hold has ended, so no new payment may start."""

    status_code = 409
    code = "order_not_payable"
    default_message = _("This order can no longer be paid.")


class PaymentNotFound(DomainError):
    status_code = 404
    code = "not_found"
    default_message = _("No such payment.")


class PaymentDeclined(DomainError):
    """The gateway reports the payment as failed, abandoned or reversed."""

    status_code = 402
    code = "payment_declined"
    default_message = _("The payment was declined.")


class PaymentIncomplete(DomainError):
    """The buyer has not finished paying yet, or the gateway is still processing the payment."""

    status_code = 402
    code = "payment_incomplete"
    default_message = _("The payment is not complete yet.")


class AmountMismatch(DomainError):
    """The gateway's verified amount, currency or mode differs from the order's."""

    status_code = 409
    code = "amount_mismatch"
    default_message = _("The amount paid does not match the order. The organiser has been asked to check it.")


class PaymentNeedsReview(DomainError):
    """Money arrived but the order cannot be fulfilled; the organiser must refund or resolve it."""

    status_code = 409
    code = "needs_review"
    default_message = _("Your payment was received but the order could not be completed. The organiser will contact you.")


class GatewayError(DomainError):
    """Paystack rejected our request (a 4xx such as a bad key or a duplicate reference)."""

    status_code = 502
    code = "gateway_error"
    default_message = _("The payment provider rejected the request. Try again later.")


class TransactionNotFound(GatewayError):
    """Paystack has no transaction with this reference (the buyer never reached its checkout)."""

    code = "transaction_not_found"
    default_message = _("The payment provider has no record of this payment.")


class GatewayUnavailable(DomainError):
    """Paystack could not be reached, failed, or the circuit breaker is open; nothing was decided."""

    status_code = 503
    code = "gateway_unavailable"

    def __init__(self, retry_after: int, message=None):
        self.retry_after = max(1, int(retry_after))
        message = message or _("Payments are unavailable right now, try again in %(seconds)d seconds.") % {
            "seconds": self.retry_after
        }
        super().__init__(message)
