"""Orders, payments and refunds in the organisers' back office: read-only money, cancellation actions.

Amounts, references and the gateway's answers are never editable here: they are the audit trail.
Organisers see the rows of their own events only (see `ticketing.admin_mixins`). This module also
registers the final Event admin, which adds the cancel action to `events.admin.EventAdmin`, because
cancelling refunds orders and the events app may not import payments.
"""
import json

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events import admin as events_admin
from events.currencies import format_money
from events.models import Event
from payments import cancellation
from payments.models import Order, OrderLine, Payment, Refund
from ticketing.admin_mixins import BOTH_LOCATIONS, OrganiserScopedAdmin, confirm_action, format_local_time


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin:
    """Show records that only services write (money, gateway responses) with no add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = readonly_fields = ("ticket_type", "quantity", "unit_price", "subtotal")
    show_change_link = False


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = readonly_fields = (
        "reference", "status", "amount", "currency", "needs_review", "created_local", "paid_local",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order__event")

    @admin.display(description=_("created at"))
    def created_local(self, payment):
        return format_local_time(payment.created_at, payment.order.event.tzinfo)

    @admin.display(description=_("paid at"))
    def paid_local(self, payment):
        return format_local_time(payment.paid_at, payment.order.event.tzinfo)


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = readonly_fields = ("payment", "amount", "currency", "status", "attempts", "last_error", "sent_local")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("payment", "order__event")

    @admin.display(description=_("sent at"))
    def sent_local(self, refund):
        return format_local_time(refund.sent_at, refund.order.event.tzinfo)


def pretty_json(value):
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, sort_keys=True, default=str))


def review_flag(payment_needs_review, reason=""):
    if not payment_needs_review:
        return "–"
    return format_html('<strong style="color: var(--error-fg, #ba2121)">⚠ {}</strong>', reason or _("Needs review"))


def order_status_label(order, now=None):
    """Return the order's status for organisers, showing a pending order past its seat hold as expired.

    Such an order keeps the pending status until `reconcile_payments` marks it expired, but its
    seats are already free, so the admin shows the state without writing it.
    """
    now = now or timezone.now()
    if order.status == Order.Status.PENDING and order.expires_at <= now:
        return _("Expired (hold ended)")
    return order.get_status_display()


class OrderStatusFilter(admin.SimpleListFilter):
    """Filter orders by status, counting pending orders past their seat hold as expired, as the list shows them."""

    title = _("status")
    # The status field's own lookup, so links to the filter that Django generated before keep working.
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return Order.Status.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        now = timezone.now()
        if value == Order.Status.PENDING:
            return queryset.filter(status=Order.Status.PENDING, expires_at__gt=now)
        if value == Order.Status.EXPIRED:
            hold_ended = Q(status=Order.Status.PENDING, expires_at__lte=now)
            return queryset.filter(Q(status=Order.Status.EXPIRED) | hold_ended)
        return queryset.filter(status=value)


@admin.register(Order)
class OrderAdmin(OrganiserScopedAdmin):
    organiser_path = "event__organiser"
    list_display = ("number", "event", "email", "status_display", "total_display", "refund_display", "flag",
                    "created_local", "paid_local")
    list_filter = (OrderStatusFilter, ("event", admin.RelatedOnlyFieldListFilter), "created_at")
    # Order numbers match by prefix, so "ORD-6E31" finds ORD-6E31A0B1C2D3. Payment references match
    # whole values only, so a guessed fragment lists nothing.
    search_fields = ("^number", "email", "buyer__username", "=payments__reference")
    list_select_related = ("event",)
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, PaymentInline, RefundInline]
    actions = ["cancel_orders"]
    fields = readonly_fields = (
        "number", "event", "buyer", "email", "status_display", "total_display", "currency", "expires_local",
        "created_local", "paid_local", "failure_reason",
    )

    def get_queryset(self, request):
        flagged = Payment.objects.filter(order=OuterRef("pk"), needs_review=True)
        pending = Refund.objects.filter(order=OuterRef("pk"), status__in=[Refund.Status.PENDING, Refund.Status.SENDING])
        failed = Refund.objects.filter(order=OuterRef("pk"), status=Refund.Status.FAILED)
        return super().get_queryset(request).annotate(
            has_flagged_payment=Exists(flagged), has_pending_refund=Exists(pending), has_failed_refund=Exists(failed),
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Every field is read-only; the change permission is only what the cancel action needs.
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False,
                         "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, order):
        return order_status_label(order)

    @admin.display(description=_("total"), ordering="total_minor")
    def total_display(self, order):
        return format_money(order.total, order.currency)

    # Times are shown in the event's zone, as on the check-in page and in the attendee CSV.
    @admin.display(description=_("created at"), ordering="created_at")
    def created_local(self, order):
        return format_local_time(order.created_at, order.event.tzinfo)

    @admin.display(description=_("paid at"), ordering="paid_at")
    def paid_local(self, order):
        return format_local_time(order.paid_at, order.event.tzinfo)

    @admin.display(description=_("seat hold ends at"), ordering="expires_at")
    def expires_local(self, order):
        return format_local_time(order.expires_at, order.event.tzinfo)

    @admin.display(description=_("refund"))
    def refund_display(self, order):
        if getattr(order, "has_failed_refund", False):
            return format_html('<strong style="color: var(--error-fg, #ba2121)">{}</strong>', _("failed"))
        if getattr(order, "has_pending_refund", False):
            return _("pending")
        return "–" if order.status != Order.Status.REFUNDED else _("sent")

    @admin.display(description=_("review"), boolean=False)
    def flag(self, order):
        return review_flag(getattr(order, "has_flagged_payment", False))

    @admin.action(description=_("Cancel and refund"), permissions=["change"], location=BOTH_LOCATIONS)
    def cancel_orders(self, request, queryset):
        orders = list(queryset.filter(status__in=cancellation.CANCELLABLE).select_related("event"))
        if not orders:
            self.message_user(request, _("None of the selected orders is pending or paid."), messages.WARNING)
            return None
        confirmation = confirm_action(
            self, request, orders, title=_("Cancel orders"), confirm_label=_("Yes, cancel and refund"),
            question=_("Cancel these orders? Their tickets become void, paid orders are refunded through "
                       "Paystack and each buyer gets an email."),
        )
        if confirmation is not None:
            return confirmation
        results = [cancellation.cancel_order(order, by=request.user) for order in orders]
        done = [result for result in results if result.cancelled]
        self.log_action_on(request, [result.order for result in done], "Cancelled; paid orders refunded.")
        report_cancellations(self, request, done)
        return None


def report_cancellations(model_admin, request, results):
    """Tell the organiser how many orders were cancelled and which refunds wait for a retry."""
    refunds = [refund for result in results for refund in result.refunds]
    pending = sum(1 for refund in refunds if refund.status == Refund.Status.PENDING)
    failed = sum(1 for refund in refunds if refund.status == Refund.Status.FAILED)
    model_admin.message_user(request, ngettext(
        "%(count)d order cancelled, %(refunds)d refunds requested.",
        "%(count)d orders cancelled, %(refunds)d refunds requested.", len(results),
    ) % {"count": len(results), "refunds": len(refunds)}, messages.SUCCESS)
    if pending:
        model_admin.message_user(request, ngettext(
            "%(count)d refund could not be sent to Paystack now; it stays pending and is retried automatically.",
            "%(count)d refunds could not be sent to Paystack now; they stay pending and are retried automatically.",
            pending,
        ) % {"count": pending}, messages.WARNING)
    if failed:
        model_admin.message_user(request, ngettext(
            "Paystack rejected %(count)d refund; see the order's refunds and the Paystack dashboard.",
            "Paystack rejected %(count)d refunds; see the orders' refunds and the Paystack dashboard.", failed,
        ) % {"count": failed}, messages.ERROR)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, OrganiserScopedAdmin):
    organiser_path = "order__event__organiser"
    list_display = ("reference", "order", "amount_display", "status", "flag", "created_at", "verified_at", "paid_at")
    list_filter = ("needs_review", "status", "created_at")
    search_fields = ("=reference", "^order__number", "order__email")
    list_select_related = ("order",)
    # Flagged payments first: they are the ones that need the organiser.
    ordering = ("-needs_review", "-created_at", "-id")
    fields = readonly_fields = (
        "reference", "order", "amount_display", "currency", "status", "needs_review", "review_reason",
        "gateway_message", "gateway_response_display", "authorization_url", "created_at", "verified_at", "paid_at",
    )

    @admin.display(description=_("amount"), ordering="amount_minor")
    def amount_display(self, payment):
        return format_money(payment.amount, payment.currency)

    @admin.display(description=_("review"), ordering="needs_review")
    def flag(self, payment):
        return review_flag(payment.needs_review, payment.review_reason)

    @admin.display(description=_("gateway response"))
    def gateway_response_display(self, payment):
        return pretty_json(payment.gateway_response)


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdminMixin, OrganiserScopedAdmin):
    organiser_path = "order__event__organiser"
    list_display = ("payment", "order", "amount_display", "status", "attempts", "last_error", "created_at", "sent_at")
    list_filter = ("status", "created_at")
    search_fields = ("=payment__reference", "^order__number", "order__email")
    list_select_related = ("payment", "order")
    actions = ["retry_refunds"]
    fields = readonly_fields = (
        "payment", "order", "amount_display", "currency", "status", "requested_by", "attempts", "last_error",
        "gateway_response_display", "created_at", "last_attempt_at", "sent_at",
    )

    @admin.display(description=_("amount"), ordering="amount_minor")
    def amount_display(self, refund):
        return format_money(refund.amount, refund.currency)

    @admin.display(description=_("gateway response"))
    def gateway_response_display(self, refund):
        return pretty_json(refund.gateway_response)

    def has_retry_permission(self, request):
        # Whoever may cancel (and so refund) orders may push their refunds to the gateway again.
        return request.user.has_perm("payments.change_order")

    @admin.action(description=_("Send pending refunds now"), permissions=["retry"])
    def retry_refunds(self, request, queryset):
        refunds = cancellation.send_refunds(queryset.filter(status=Refund.Status.PENDING).order_by("created_at", "pk"))
        self.log_action_on(request, refunds, "Refund sent again.")
        still_pending = sum(1 for refund in refunds if refund.status == Refund.Status.PENDING)
        self.message_user(request, _("%(sent)d refunds sent, %(pending)d still pending.") % {
            "sent": len(refunds) - still_pending, "pending": still_pending,
        }, messages.WARNING if still_pending else messages.SUCCESS)


admin.site.unregister(Event)


@admin.register(Event)
class EventAdmin(events_admin.EventAdmin):
    actions = [*events_admin.EventAdmin.actions, "cancel_events"]

    @admin.action(description=_("Cancel and refund all orders"), permissions=["change"], location=BOTH_LOCATIONS)
    def cancel_events(self, request, queryset):
        events = list(queryset.exclude(status=Event.Status.CANCELLED))
        if not events:
            self.message_user(request, _("The selected events are already cancelled."), messages.WARNING)
            return None
        confirmation = confirm_action(
            self, request, events, title=_("Cancel events"), confirm_label=_("Yes, cancel and refund"),
            question=_("Cancel these events? Sales stop, every ticket becomes void, every paid order is refunded "
                       "through Paystack and each buyer gets an email."),
            warning=_("This cannot be undone."),
        )
        if confirmation is not None:
            return confirmation
        for event in events:
            result = cancellation.cancel_event(event, by=request.user)
            self.log_change(request, event, "Cancelled; %d orders cancelled." % len(result.orders))
            report_cancellations(self, request, result.orders)
        return None
