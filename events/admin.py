"""The organisers' back office for events and ticket types.

Organisers see and change only their own events (see `ticketing.admin_mixins`). The changelist
shows sales figures computed in the query. The change page shows them per ticket type and rejects
changes that would contradict sales already made. Its date-times are entered and shown in the
event's own time zone. Cancelling an event refunds its orders, which is the payments app's
business, so `payments/admin.py` registers a subclass of `EventAdmin` that adds the cancel action.
"""
import zoneinfo
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.template.response import SimpleTemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events import services
from events.currencies import format_money, from_minor_units
from events.exceptions import EventStatusError
from events.models import Event, TicketType, validate_time_zone
from events.sales_selectors import (
    event_has_orders,
    events_with_sales,
    remaining_seats,
    revenue_by_currency,
    seats_taken,
    ticket_types_with_sales,
)
from events.selectors import event_seat_counts
from ticketing.admin_mixins import (
    BOTH_LOCATIONS,
    OrganiserScopedAdmin,
    ScopedInline,
    format_local_time,
    scope_to_organiser,
)


def is_known_time_zone(name) -> bool:
    """Return whether `name` is an IANA time zone that the event's `time_zone` field accepts."""
    try:
        validate_time_zone(name)
    except ValidationError:
        return False
    return True


def note_time_zone(form, field_names):
    """Append the current time zone, which the event admin sets to the event's, to date-time help texts."""
    note = _("In the event's time zone (%(zone)s).") % {"zone": timezone.get_current_timezone_name()}
    for name in field_names:
        field = form.fields.get(name)
        if field is not None:
            field.help_text = f"{field.help_text} {note}" if field.help_text else note


class TicketTypeForm(forms.ModelForm):
    """Reject a capacity below the seats already taken and the deletion of a type with orders."""

    class Meta:
        model = TicketType
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        note_time_zone(self, ("sales_start", "sales_end"))

    def clean(self):
        cleaned_data = super().clean()
        ticket_type = self.instance
        if ticket_type.pk is None:
            return cleaned_data
        if cleaned_data.get("DELETE") and ticket_type.order_lines.exists():
            raise forms.ValidationError(
                _("“%(name)s” has orders and cannot be deleted. To stop its sales, set its sales end "
                  "to now or its capacity to the number sold."),
                params={"name": ticket_type.name},
            )
        capacity = cleaned_data.get("capacity")
        # The instance still contains the saved values, because the form copies its data over them after clean().
        if capacity is not None and capacity != ticket_type.capacity:
            # The admin saves inside a transaction, and checkout takes every seat under the event's row
            # lock. Taking that lock here keeps a seat from being sold between this count and the save.
            Event.objects.select_for_update().filter(pk=ticket_type.event_id).first()
            sold, held = seats_taken(ticket_type)
            if capacity < sold + held:
                self.add_error("capacity", _(
                    "The capacity cannot be lower than %(taken)d: %(sold)d sold and %(held)d held by "
                    "orders awaiting payment."
                ) % {"taken": sold + held, "sold": sold, "held": held})
        return cleaned_data


class TicketTypeInline(ScopedInline):
    model = TicketType
    form = TicketTypeForm
    extra = 0
    fields = (
        "name", "price", "capacity", "max_per_order", "sort_order", "sales_start", "sales_end",
        "sold", "held", "available", "revenue",
    )
    readonly_fields = ("sold", "held", "available", "revenue")

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else 1

    def get_queryset(self, request):
        return ticket_types_with_sales(super().get_queryset(request).select_related("event"))

    @admin.display(description=_("sold"))
    def sold(self, ticket_type):
        return getattr(ticket_type, "sold_count", 0)

    @admin.display(description=_("held"))
    def held(self, ticket_type):
        return getattr(ticket_type, "held_count", 0)

    @admin.display(description=_("available"))
    def available(self, ticket_type):
        if ticket_type.pk is None:
            return "–"
        return max(0, ticket_type.capacity - ticket_type.sold_count - ticket_type.held_count)

    @admin.display(description=_("revenue"))
    def revenue(self, ticket_type):
        if ticket_type.pk is None:
            return "–"
        return format_money(ticket_type.revenue, ticket_type.event.currency)


class EventForm(forms.ModelForm):
    """Reject an event capacity below the seats taken and a currency change once orders exist."""

    class Meta:
        model = Event
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        note_time_zone(self, ("starts_at", "ends_at", "sales_start", "sales_end"))

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        event = self.instance
        if event.pk is None or capacity is None or capacity == event.capacity:
            return capacity
        # Checkout takes seats under this row lock (see TicketTypeForm.clean).
        Event.objects.select_for_update().filter(pk=event.pk).first()
        sold, held = event_seat_counts(event)
        if capacity < sold + held:
            raise forms.ValidationError(
                _("The capacity cannot be lower than %(taken)d: %(sold)d sold and %(held)d held by orders "
                  "awaiting payment."),
                params={"taken": sold + held, "sold": sold, "held": held},
            )
        return capacity

    def clean_currency(self):
        currency = self.cleaned_data.get("currency")
        event = self.instance
        if event.pk and currency != event.currency and event_has_orders(event):
            raise forms.ValidationError(_("The currency cannot change once the event has orders."))
        return currency

    def clean_starts_at(self):
        starts_at = self.cleaned_data.get("starts_at")
        if self.instance.pk is None and starts_at and starts_at <= timezone.now():
            raise forms.ValidationError(_("The start must be in the future."))
        return starts_at


class StartsAtFilter(admin.SimpleListFilter):
    title = _("date")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [
            ("upcoming", _("Upcoming")),
            ("next_7_days", _("Next 7 days")),
            ("next_30_days", _("Next 30 days")),
            ("past", _("Past")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "upcoming":
                return queryset.filter(starts_at__gte=now)
            case "next_7_days":
                return queryset.filter(starts_at__gte=now, starts_at__lt=now + timedelta(days=7))
            case "next_30_days":
                return queryset.filter(starts_at__gte=now, starts_at__lt=now + timedelta(days=30))
            case "past":
                return queryset.filter(starts_at__lt=now)
        return queryset


@admin.register(Event)
class EventAdmin(OrganiserScopedAdmin):
    form = EventForm
    organiser_path = "organiser"
    list_display = (
        "title", "local_start", "status", "sold", "held", "remaining", "revenue", "attendees",
    )
    list_filter = ("status", StartsAtFilter)
    search_fields = ("title", "location", "venue", "slug")
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("organiser",)
    inlines = [TicketTypeInline]
    actions = ["publish_events", "unpublish_events"]
    list_per_page = 100
    change_list_template = "admin/events/event/change_list.html"
    fieldsets = (
        (None, {"fields": ("organiser", "title", "slug", "description", "status")}),
        (_("When and where"), {"fields": ("venue", "location", "starts_at", "ends_at", "time_zone")}),
        (_("Sales"), {"fields": ("currency", "capacity", "sales_start", "sales_end", "allow_sales_after_start")}),
    )
    sales_fieldset = (_("Sales so far"), {"fields": ("sold", "held", "remaining", "revenue", "attendees")})

    def get_queryset(self, request):
        return events_with_sales(super().get_queryset(request)).select_related("organiser")

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(self.fieldsets)
        if not request.user.is_superuser:
            # An organiser's events are always their own, so the field would only invite mistakes.
            first_name, first_options = fieldsets[0]
            fields = tuple(name for name in first_options["fields"] if name != "organiser")
            fieldsets[0] = (first_name, {**first_options, "fields": fields})
        if obj is not None:
            fieldsets.append(self.sales_fieldset)
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        # Status moves only through the actions, so cancelling always runs the refund service.
        return ("status", "sold", "held", "remaining", "revenue", "attendees")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Form fields read and show date-times in the current time zone, which is UTC for the whole
        # site, so the event's page switches to the event's zone. The page is rendered inside the
        # switch as well, because a TemplateResponse formats its widgets only when it is rendered.
        with timezone.override(self.form_time_zone(request, object_id)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if isinstance(response, SimpleTemplateResponse):
                response.render()
        return response

    def form_time_zone(self, request, object_id) -> zoneinfo.ZoneInfo:
        """Return the zone of the change form's date-times: the submitted zone, the saved one, or the default.

        A valid zone submitted with the form wins, so changing the zone and the times in one save
        reads the times in the new zone. An invalid one falls back to the saved zone, in which the
        form is shown again with the error.
        """
        submitted = request.POST.get("time_zone", "") if request.method == "POST" else ""
        if is_known_time_zone(submitted):
            return zoneinfo.ZoneInfo(submitted)
        saved = self.saved_time_zone(request, object_id)
        if saved and is_known_time_zone(saved):
            return zoneinfo.ZoneInfo(saved)
        return zoneinfo.ZoneInfo(settings.DEFAULT_EVENT_TIME_ZONE)

    def saved_time_zone(self, request, object_id) -> str | None:
        """Return the stored zone of the event at `object_id`, or None for a new, missing or foreign event."""
        if object_id is None:
            return None
        events = scope_to_organiser(Event.objects.all(), request.user, self.organiser_path)
        try:
            return events.filter(pk=unquote(object_id)).values_list("time_zone", flat=True).first()
        except (ValueError, ValidationError):
            # A malformed id, for which the admin then returns its own 404.
            return None

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("organiser", request.user.pk)
        return initial

    def save_model(self, request, obj, form, change):
        if not change and not request.user.is_superuser:
            obj.organiser = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for type_form in formset.forms:
            ticket_type = type_form.instance
            if "price" in type_form.changed_data and getattr(ticket_type, "sold_count", 0):
                messages.info(request, _(
                    "The new price of “%(name)s” applies to new orders only; the %(sold)d tickets already "
                    "sold keep the price paid."
                ) % {"name": ticket_type.name, "sold": ticket_type.sold_count})

    def has_delete_permission(self, request, obj=None):
        # Orders reference the event with PROTECT and carry money, so an event with orders is cancelled, never deleted.
        if obj is not None and event_has_orders(obj):
            return False
        return super().has_delete_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            response.context_data["revenue_totals"] = [
                format_money(from_minor_units(row["revenue_minor"]), row["currency"])
                for row in revenue_by_currency(changelist.queryset)
            ]
        return response

    @admin.display(description=_("starts"), ordering="starts_at")
    def local_start(self, event):
        return format_local_time(event.starts_at, event.tzinfo)

    @admin.display(description=_("sold"), ordering="sold_count")
    def sold(self, event):
        return event.sold_count

    @admin.display(description=_("held"), ordering="held_count")
    def held(self, event):
        return event.held_count

    @admin.display(description=_("remaining"))
    def remaining(self, event):
        return remaining_seats(event)

    @admin.display(description=_("revenue"), ordering="revenue_minor")
    def revenue(self, event):
        return format_money(from_minor_units(event.revenue_minor), event.currency)

    @admin.display(description=_("attendees"))
    def attendees(self, event):
        # Linked by URL name only: the tickets app sits above events and may not be imported here.
        return format_html(
            '<a href="{}?order_line__ticket_type__event__id__exact={}">{}</a> · <a href="{}?event={}">{}</a>',
            reverse("admin:tickets_ticket_changelist"), event.pk, _("tickets"),
            reverse("admin:tickets_ticket_export"), event.pk, _("CSV"),
        )

    @admin.action(description=_("Publish (put on sale)"), permissions=["change"], location=BOTH_LOCATIONS)
    def publish_events(self, request, queryset):
        changed = self._change_status(request, queryset, services.publish_event, "Published.")
        if changed:
            self.message_user(request, ngettext(
                "%(count)d event published.", "%(count)d events published.", changed,
            ) % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Unpublish (back to draft)"), permissions=["change"], location=BOTH_LOCATIONS)
    def unpublish_events(self, request, queryset):
        changed = self._change_status(request, queryset, services.unpublish_event, "Unpublished.")
        if changed:
            self.message_user(request, ngettext(
                "%(count)d event unpublished.", "%(count)d events unpublished.", changed,
            ) % {"count": changed}, messages.SUCCESS)

    def _change_status(self, request, queryset, service, log_message):
        """Run a status service on each event, log each change and report rejections. Return the number changed."""
        changed = 0
        for event in queryset:
            try:
                if service(event):
                    changed += 1
                    self.log_change(request, event, log_message)
            except EventStatusError as error:
                self.message_user(request, error.message, messages.ERROR)
        return changed
