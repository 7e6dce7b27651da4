import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def new_ticket_code():
    """Return a ticket code of 160 random bits, URL-safe and independent of any id."""
    return secrets.token_urlsafe(20)


class Ticket(models.Model):
    """One seat of a paid order."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        CHECKED_IN = "checked_in", _("Checked in")
        VOID = "void", _("Void")

    order_line = models.ForeignKey("payments.OrderLine", on_delete=models.PROTECT, related_name="tickets")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tickets")
    holder_name = models.CharField(_("holder name"), max_length=200)
    code = models.CharField(max_length=64, unique=True, default=new_ticket_code, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.VALID)
    created_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.order_line.ticket_type} #{self.code[:8]}"

    def get_absolute_url(self):
        return reverse("tickets:detail", kwargs={"pk": self.pk})

    @property
    def event(self):
        return self.order_line.ticket_type.event

    @property
    def ticket_type(self):
        return self.order_line.ticket_type

    @property
    def order(self):
        return self.order_line.order


class EventSigningKey(models.Model):
    """The Ed25519 key pair that signs the QR tokens of one event's tickets.

    The private key is stored in the database, unencrypted: anyone who can read this table can
    sign tokens that pass offline verification. The server still accepts only codes of tickets it
    issued, so such a token cannot admit anyone at a scanner that checks online.
    """

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="signing_key")
    private_key = models.BinaryField(max_length=32, editable=False)
    public_key = models.BinaryField(max_length=32, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Signing key of {self.event}"


class OrderEmail(models.Model):
    """One request to email an order's tickets to the buyer, with its delivery attempts."""

    class Reason(models.TextChoices):
        CONFIRMATION = "confirmation", _("Order confirmation")
        RESEND = "resend", _("Resent on request")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    order = models.ForeignKey("payments.Order", on_delete=models.CASCADE, related_name="ticket_emails")
    reason = models.CharField(max_length=12, choices=Reason.choices, default=Reason.CONFIRMATION)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    recipient = models.EmailField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            # Confirmation is sent once per order; resends add rows of their own.
            models.UniqueConstraint(
                fields=["order"], condition=Q(reason="confirmation"), name="tickets_orderemail_one_confirmation",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} for {self.order} ({self.get_status_display()})"
