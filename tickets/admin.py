"""Attendees in the organisers' back office: search, CSV export, check-in and resending tickets.

Organisers see the tickets of their own events only (see `ticketing.admin_mixins`). A ticket's
status changes only through the actions, which call the same services as the door scanner and the
buyer's pages.
"""
import io
import re

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.models import Event
from ticketing.admin_mixins import BOTH_LOCATIONS, OrganiserScopedAdmin, format_local_time
from tickets import services
from tickets.attendees import write_attendee_csv
from tickets.exceptions import CheckInRejected, NotEventOrganiser, ResendTooSoon, TicketNotFound
from tickets.models import Ticket

# An event id in the export URL: ASCII digits only, because str.isdigit() also accepts "²", which
# int() rejects. A bigint primary key ends at MAX_EVENT_ID, which has 19 digits.
_EVENT_ID_RE = re.compile(r"[0-9]{1,19}")
MAX_EVENT_ID = 2**63 - 1


@admin.register(Ticket)
class TicketAdmin(OrganiserScopedAdmin):
    organiser_path = "order_line__ticket_type__event__organiser"
    list_display = ("code_prefix", "holder_name", "email", "ticket_type", "event", "status", "checked_in_local",
                    "order_number")
    list_filter = ("status", ("order_line__ticket_type__event", admin.RelatedOnlyFieldListFilter))
    # "=code" matches whole codes only, so a search never lists tickets by a guessed fragment. Order
    # numbers are not secret and match by prefix, as in the orders list.
    search_fields = ("=code", "holder_name", "holder__email", "order_line__order__email", "^order_line__order__number")
    list_select_related = ("holder", "order_line__ticket_type__event", "order_line__order")
    actions = ["check_in_tickets", "resend_order_emails", "export_csv"]
    change_list_template = "admin/tickets/ticket/change_list.html"
    fields = ("code", "holder_name", "holder", "status", "checked_in_local", "checked_in_by_name", "order_number",
              "ticket_type", "event", "created_local")
    readonly_fields = ("code", "holder", "status", "checked_in_local", "checked_in_by_name", "order_number",
                       "ticket_type", "event", "created_local")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        export = path("export/", self.admin_site.admin_view(self.export_view), name="tickets_ticket_export")
        return [export, *super().get_urls()]

    @admin.display(description=_("code"), ordering="code")
    def code_prefix(self, ticket):
        return ticket.code[:8] + "…"

    @admin.display(description=_("email"), ordering="order_line__order__email")
    def email(self, ticket):
        return ticket.order_line.order.email or ticket.holder.email

    @admin.display(description=_("ticket type"), ordering="order_line__ticket_type__name")
    def ticket_type(self, ticket):
        return ticket.order_line.ticket_type.name

    @admin.display(description=_("event"), ordering="order_line__ticket_type__event__starts_at")
    def event(self, ticket):
        return ticket.order_line.ticket_type.event

    @admin.display(description=_("order"), ordering="order_line__order__number")
    def order_number(self, ticket):
        return ticket.order_line.order.number

    # Times are shown in the event's zone, as on the check-in page and in the CSV export.
    @admin.display(description=_("checked in at"), ordering="checked_in_at")
    def checked_in_local(self, ticket):
        return format_local_time(ticket.checked_in_at, ticket.event.tzinfo)

    @admin.display(description=_("created at"), ordering="created_at")
    def created_local(self, ticket):
        return format_local_time(ticket.created_at, ticket.event.tzinfo)

    # Show the username, as the check-in page and the scanner API do. The user's string form, which
    # Django shows for a foreign key, is the full name.
    @admin.display(description=_("checked in by"))
    def checked_in_by_name(self, ticket):
        if ticket.checked_in_by is None:
            return self.get_empty_value_display()
        return ticket.checked_in_by.get_username()

    @admin.action(description=_("Check in"), permissions=["change"], location=BOTH_LOCATIONS)
    def check_in_tickets(self, request, queryset):
        admitted = []
        for ticket in queryset.select_related("order_line__ticket_type__event__signing_key"):
            try:
                services.check_in(token=services.ticket_token(ticket), by=request.user, event=ticket.event)
            except (CheckInRejected, NotEventOrganiser, TicketNotFound) as error:
                self.message_user(request, f"{ticket.code[:8]}…: {error.message}", messages.WARNING)
                continue
            admitted.append(ticket)
        self.log_action_on(request, admitted, "Checked in from the admin.")
        if admitted:
            self.message_user(request, ngettext(
                "%(count)d ticket checked in.", "%(count)d tickets checked in.", len(admitted),
            ) % {"count": len(admitted)}, messages.SUCCESS)

    @admin.action(description=_("Resend the order email"), permissions=["change"], location=BOTH_LOCATIONS)
    def resend_order_emails(self, request, queryset):
        orders = {ticket.order_line.order.pk: ticket.order_line.order for ticket in queryset.select_related(
            "order_line__order__buyer")}
        sent = 0
        for order in orders.values():
            try:
                services.resend_order_email(order, requested_by=request.user)
            except (ResendTooSoon, TicketNotFound) as error:
                self.message_user(request, f"{order.number}: {error.message}", messages.WARNING)
                continue
            sent += 1
            self.log_change(request, queryset.filter(order_line__order=order).first(),
                            f"Resent the tickets of order {order.number} to {order.email}.")
        if sent:
            self.message_user(request, ngettext(
                "The tickets of %(count)d order will be emailed again.",
                "The tickets of %(count)d orders will be emailed again.", sent,
            ) % {"count": sent}, messages.SUCCESS)

    @admin.action(description=_("Export as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self.csv_response(request, queryset)

    def export_view(self, request):
        """Export one event's tickets (`?event=<id>`), or those the changelist shows with the same filters, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        event_id = request.GET.get("event")
        if event_id is None:
            try:
                queryset = self.get_changelist_instance(request).get_queryset(request)
            except IncorrectLookupParameters:
                return HttpResponseBadRequest(
                    "Invalid filter parameters. Choose the filters on the attendee list, then export again."
                )
            return self.csv_response(request, queryset)
        if not _EVENT_ID_RE.fullmatch(event_id) or int(event_id) > MAX_EVENT_ID:
            raise Http404("No event matches the given ID.")
        # The event admin's queryset is scoped: another organiser's event is a 404 like a missing one.
        events = self.admin_site.get_model_admin(Event).get_queryset(request)
        event = get_object_or_404(events, pk=int(event_id))
        return self.csv_response(request, self.get_queryset(request).filter(order_line__ticket_type__event=event))

    def csv_response(self, request, queryset):
        """Return the attendee CSV of `queryset` and log one LogEntry per event it covers."""
        buffer = io.StringIO()
        count = write_attendee_csv(queryset, buffer)
        events = Event.objects.filter(pk__in=queryset.values("order_line__ticket_type__event"))
        event_admin = self.admin_site.get_model_admin(Event)
        for event in events:
            event_admin.log_change(request, event, f"Exported the attendee list as CSV ({count} tickets in the file).")
        name = slugify(events[0].title) if len(events) == 1 else "attendees"
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
        return response
