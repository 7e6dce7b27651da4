import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.currencies import from_minor_units


def new_order_number():
    """Return a public order number that cannot be guessed from other orders."""
    return "ORD-" + secrets.token_hex(6).upper()


def new_payment_reference():
    """Return a unique, unguessable Paystack reference: letters, digits and '-' only."""
    return "TKT-" + secrets.token_urlsafe(18).replace("_", "").replace("-", "")[:24]


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting payment")
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Expired")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    number = models.CharField(max_length=20, unique=True, default=new_order_number, editable=False)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    event = models.ForeignKey("events.Event", on_delete=models.PROTECT, related_name="orders")
    email = models.EmailField(help_text=_("Where the tickets are sent."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    currency = models.CharField(max_length=3)
    total_minor = models.BigIntegerField(help_text=_("Total in the currency's minor unit (kobo, cents)."))
    expires_at = models.DateTimeField(help_text=_("End of the seat hold while the order awaits payment."))
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(total_minor__gte=0), name="payments_order_total_not_negative"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("payments:order", kwargs={"number": self.number})

    @property
    def total(self):
        return from_minor_units(self.total_minor)

    @property
    def seat_count(self):
        return sum(line.quantity for line in self.lines.all())


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    ticket_type = models.ForeignKey("events.TicketType", on_delete=models.PROTECT, related_name="order_lines")
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("Price of one ticket when the order was placed."),
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="payments_orderline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="payments_orderline_price_not_negative"),
            models.UniqueConstraint(fields=["order", "ticket_type"], name="payments_orderline_unique_type"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.ticket_type.name}"

    @property
    def subtotal(self):
        return self.unit_price * self.quantity


class Payment(models.Model):
    """One attempt to pay an order through the gateway; an order may see several."""

    class Status(models.TextChoices):
        INITIALIZED = "initialized", _("Started")
        SUCCESS = "success", _("Successful")
        FAILED = "failed", _("Failed")
        ABANDONED = "abandoned", _("Abandoned")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    reference = models.CharField(max_length=100, unique=True, default=new_payment_reference, editable=False)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.INITIALIZED)
    authorization_url = models.URLField(max_length=500, blank=True)
    gateway_response = models.JSONField(
        default=dict, blank=True, help_text=_("The gateway's last verification data, kept for audit."),
    )
    gateway_message = models.CharField(max_length=300, blank=True)
    needs_review = models.BooleanField(
        default=False, help_text=_("Money arrived that could not be turned into tickets; the organiser must act."),
    )
    review_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gte=0), name="payments_payment_amount_not_negative"),
        ]

    def __str__(self):
        return self.reference

    @property
    def amount(self):
        return from_minor_units(self.amount_minor)


class Refund(models.Model):
    """The refund of one successful payment, owed since its order was cancelled.

    A refund is `pending` until Paystack accepts it, and `manage.py retry_refunds` (through
    `payments.cancellation.retry_pending_refunds`) sends pending ones again. Paystack then processes it
    asynchronously and reports the outcome by webhook.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Refund pending")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Accepted by the gateway")
        PROCESSED = "processed", _("Refunded")
        FAILED = "failed", _("Failed: needs the organiser")

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="refund")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    gateway_response = models.JSONField(
        default=dict, blank=True, help_text=_("The gateway's response to the refund request, kept for audit."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "last_attempt_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payments_refund_amount_positive"),
        ]

    def __str__(self):
        return f"Refund of {self.payment.reference}"

    @property
    def amount(self):
        return from_minor_units(self.amount_minor)
