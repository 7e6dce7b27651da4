"""Checkout pages: review, pay, the gateway's callback, the order list and page, and the sandbox checkout."""
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.ratelimit import retry_after
from events.models import Event
from events.selectors import public_event
from payments import selectors, services
from payments.exceptions import GatewayUnavailable, PaymentDeclined, PaymentNeedsReview, TransactionNotFound
from payments.forms import CheckoutForm
from payments.gateways.paystack import get_gateway
from payments.models import Payment
from ticketing.errors import DomainError

logger = logging.getLogger(__name__)

ORDERS_PER_PAGE = 20


def payment_retry_after(request) -> int | None:
    """Count one checkout request against the "payment" rate and return the seconds to wait when over it."""
    # These pages need a login, so the count is per buyer and a new address or device does not reset it.
    return retry_after(request, "payment", key=f"user:{request.user.pk}")


def throttled_redirect(request, wait: int, response):
    """Add the throttle message for the next page and `Retry-After` to a redirect that changed nothing."""
    messages.error(request, _("Too many payment attempts. Try again in %(seconds)d seconds.") % {"seconds": wait})
    response["Retry-After"] = str(wait)
    return response


def throttled_callback(request, wait: int, order):
    """Render the order page with 429 at the callback's own URL, so reloading it after the wait checks the payment."""
    message = _("Too many payment checks. Reload this page in %(seconds)d seconds to check your payment.")
    messages.error(request, message % {"seconds": wait})
    response = render(request, "payments/order_detail.html", selectors.order_page_context(order), status=429)
    response["Retry-After"] = str(wait)
    return response


def show_error(request, error: DomainError):
    """Show a domain error as a page message: a warning for an outage, an error otherwise."""
    if isinstance(error, GatewayUnavailable):
        messages.warning(request, error.message)
    else:
        messages.error(request, error.message)


@method_decorator(login_required, name="dispatch")
class CheckoutView(View):
    """GET shows the review of the event page's choice; POST holds the seats and goes to the gateway.

    Login comes first, and because the choice travels in the query string it survives the login.
    Both check the choice with the order rules, and a rejected choice goes back to the event page
    with its quantities filled in and the reason shown.
    """

    def get(self, request):
        event = self._event(request.GET)
        form = CheckoutForm(request.GET, ticket_types=event.ticket_types.all())
        if not form.is_valid():
            return self._back_to_event(request, event, form)
        try:
            # This only reads. The seats are taken, under lock, when the buyer continues to payment.
            quantities = services.check_order(
                event_id=event.pk, quantities=form.quantities(), buyer=request.user,
            )
        except DomainError as error:
            show_error(request, error)
            return self._back_to_event(request, event)
        context = {"event": event, "form": form, **selectors.review_lines(event, quantities)}
        return render(request, "payments/checkout.html", context)

    def post(self, request):
        wait = payment_retry_after(request)
        event = self._event(request.POST)
        if wait is not None:
            # Back to the event page with the choice kept, so the buyer can continue after the wait.
            return throttled_redirect(request, wait, self._back_to_event(request, event))
        form = CheckoutForm(request.POST, ticket_types=event.ticket_types.all())
        if not form.is_valid():
            return self._back_to_event(request, event, form)
        try:
            order = services.create_order(buyer=request.user, event_id=event.pk, quantities=form.quantities())
        except DomainError as error:
            show_error(request, error)
            return self._back_to_event(request, event)
        return pay_and_redirect(request, order)

    def _event(self, data) -> Event:
        try:
            return public_event(int(data.get("event", "")))
        except (ValueError, Event.DoesNotExist):
            raise Http404("No such event.") from None

    def _back_to_event(self, request, event, form=None):
        """Redirect to the event page with the choice in the query string, which fills in its quantities."""
        if form is not None:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        choice = (request.GET if request.method == "GET" else request.POST).copy()
        choice.pop("csrfmiddlewaretoken", None)
        return redirect(f"{event.get_absolute_url()}?{choice.urlencode()}")


def pay_and_redirect(request, order):
    """Start a payment attempt and send the browser to the gateway, or back to the order page with why not."""
    try:
        payment = services.start_payment(order)
    except DomainError as error:
        show_error(request, error)
        return redirect(order)
    return redirect(payment.authorization_url)


@login_required
def order_list(request):
    """List the buyer's orders, with the ones that can still be paid first."""
    page = Paginator(selectors.order_history(request.user), ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "payments/order_list.html", {"orders": page.object_list, "page_obj": page})


@login_required
def order_detail(request, number):
    order = get_object_or_404(selectors.orders_of(request.user), number=number)
    return render(request, "payments/order_detail.html", selectors.order_page_context(order))


@require_POST
@login_required
def order_pay(request, number):
    """Start a new payment attempt for the buyer's pending order."""
    wait = payment_retry_after(request)
    order = get_object_or_404(selectors.orders_of(request.user), number=number)
    if wait is not None:
        return throttled_redirect(request, wait, redirect(order))
    return pay_and_redirect(request, order)


@login_required
def callback(request):
    """Confirm the payment the gateway sent the browser back for; the reference only points at it."""
    wait = payment_retry_after(request)
    reference = request.GET.get("reference") or request.GET.get("trxref") or ""
    payment = get_object_or_404(Payment.objects.select_related("order"), reference=reference, order__buyer=request.user)
    if wait is not None:
        return throttled_callback(request, wait, payment.order)
    try:
        services.confirm_payment(reference, buyer=request.user)
    except PaymentDeclined:
        pass  # The order page shows the gateway's reason next to "Try again".
    except PaymentNeedsReview as error:
        messages.warning(request, error.message)
    except DomainError as error:
        show_error(request, error)
    # On success the order page itself shows that the order is paid, with its tickets.
    return redirect(payment.order)


@method_decorator(login_required, name="dispatch")
class SandboxCheckoutView(View):
    """The simulated Paystack checkout page; it exists only while no secret key is configured."""

    def dispatch(self, request, *args, reference, **kwargs):
        gateway = get_gateway()
        if not gateway.is_sandbox:
            raise Http404("The sandbox is off because a Paystack key is configured.")
        self.gateway = gateway
        self.payment = get_object_or_404(
            Payment.objects.select_related("order__event"), reference=reference, order__buyer=request.user,
        )
        try:
            self.transaction = gateway.get(reference)
        except TransactionNotFound:
            raise Http404("No such sandbox transaction.") from None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        context = {"payment": self.payment, "order": self.payment.order, "transaction": self.transaction}
        return render(request, "payments/sandbox.html", context)

    def post(self, request):
        approve = request.POST.get("decision") == "pay"
        transaction = self.gateway.complete(self.payment.reference, approve=approve)
        query = urlencode({"trxref": self.payment.reference, "reference": self.payment.reference})
        return redirect(f"{transaction['callback_url']}?{query}")

