import secrets

from django.conf import settings
from django.db import models
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
