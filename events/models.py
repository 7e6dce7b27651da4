import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.templatetags.tz import do_timezone
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.currencies import CURRENCY_CHOICES


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def default_currency():
    return settings.DEFAULT_CURRENCY


def default_time_zone():
    return settings.DEFAULT_EVENT_TIME_ZONE


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)

    def upcoming(self):
        """Published events that have not started yet."""
        return self.published().filter(starts_at__gt=timezone.now())

    def owned_by(self, user):
        """Events the user may manage: all for a superuser, their own for an organiser."""
        if user.is_superuser:
            return self
        return self.filter(organiser=user)


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(_("title"), max_length=200)
    # Unicode, because slugs are made from titles in any script ("вечер-джаза").
    slug = models.SlugField(_("slug"), max_length=220, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=300, help_text=_("Address or city."))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=default_time_zone, validators=[validate_time_zone],
        help_text=_("IANA name such as Africa/Lagos; dates are shown in this zone."),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, default=default_currency)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    capacity = models.PositiveIntegerField(
        _("total capacity"), null=True, blank=True,
        help_text=_("Seats shared by all ticket types; leave empty for no limit beyond each type's own."),
    )
    sales_start = models.DateTimeField(_("sales start"), null=True, blank=True)
    sales_end = models.DateTimeField(
        _("sales end"), null=True, blank=True, help_text=_("Empty means sales close when the event starts."),
    )
    allow_sales_after_start = models.BooleanField(
        _("allow sales after start"), default=False,
        help_text=_("Keep selling after the start time, until the sales end or the event ends."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="events_event_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(sales_start__isnull=True) | Q(sales_end__isnull=True) | Q(sales_end__gt=F("sales_start")),
                name="events_event_sales_end_after_start",
                violation_error_message=_("Sales must end after they start."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="events_event_capacity_not_negative",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    # Templates convert every aware datetime to the current time zone (TIME_ZONE, UTC) before the `date`
    # filter formats it. The tz library's `timezone` filter marks its result to skip that
    # conversion, so these stay in the event's zone in templates as well as in Python code.
    @property
    def local_starts_at(self):
        return do_timezone(self.starts_at, self.tzinfo)

    @property
    def local_ends_at(self):
        return do_timezone(self.ends_at, self.tzinfo) if self.ends_at else None

    def sales_closed_reason(self, now=None):
        """Return why tickets cannot be bought right now, or None when sales are open."""
        now = now or timezone.now()
        if self.status == self.Status.CANCELLED:
            return _("This event has been cancelled.")
        if self.status != self.Status.PUBLISHED:
            return _("This event is not on sale.")
        if self.sales_start and now < self.sales_start:
            return _("Sales have not started yet.")
        if self.sales_end and now >= self.sales_end:
            return _("Sales have ended.")
        if now >= self.starts_at and not self.allow_sales_after_start:
            return _("Sales have ended because the event has started.")
        if self.ends_at and now >= self.ends_at:
            return _("This event has ended.")
        return None


class TicketType(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ticket_types")
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    capacity = models.PositiveIntegerField(_("capacity"))
    max_per_order = models.PositiveIntegerField(_("maximum per order"), default=10)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    sales_start = models.DateTimeField(_("sales start"), null=True, blank=True)
    sales_end = models.DateTimeField(_("sales end"), null=True, blank=True)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="events_tickettype_price_not_negative"),
            models.CheckConstraint(condition=Q(capacity__gte=0), name="events_tickettype_capacity_not_negative"),
            models.CheckConstraint(condition=Q(max_per_order__gte=1), name="events_tickettype_max_per_order_positive"),
            models.UniqueConstraint(fields=["event", "name"], name="events_tickettype_unique_name_per_event"),
        ]

    def __str__(self):
        return f"{self.event} – {self.name}"

    @property
    def currency(self):
        return self.event.currency

    def sales_closed_reason(self, now=None):
        """Return why this ticket type cannot be bought right now (event rules first), or None."""
        now = now or timezone.now()
        reason = self.event.sales_closed_reason(now)
        if reason:
            return reason
        if self.sales_start and now < self.sales_start:
            return _("Sales for %(name)s have not started yet.") % {"name": self.name}
        if self.sales_end and now >= self.sales_end:
            return _("Sales for %(name)s have ended.") % {"name": self.name}
        return None
