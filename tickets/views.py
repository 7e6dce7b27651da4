from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from tickets import qr, selectors, services
from tickets.exceptions import CheckInRejected, ResendTooSoon
from tickets.forms import CheckInForm
from tickets.models import Ticket
from ticketing.errors import DomainError


def get_user_ticket(user, pk) -> Ticket:
    """Return the user's ticket, or raise 404 alike for a missing ticket and another user's."""
    try:
        return selectors.user_tickets(user).get(pk=pk)
    except Ticket.DoesNotExist:
        raise Http404("No such ticket.") from None


class TicketListView(LoginRequiredMixin, TemplateView):
    template_name = "tickets/ticket_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["upcoming"], context["past"] = selectors.user_tickets_by_time(self.request.user)
        return context


class TicketDetailView(LoginRequiredMixin, TemplateView):
    template_name = "tickets/ticket_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ticket"] = get_user_ticket(self.request.user, kwargs["pk"])
        return context


class TicketQRCodeView(LoginRequiredMixin, View):
    """Download the ticket's QR code as a PNG file."""

    def get(self, request, pk):
        ticket = get_user_ticket(request.user, pk)
        response = HttpResponse(qr.qr_png(services.ticket_token(ticket)), content_type="image/png")
        response["Content-Disposition"] = f'attachment; filename="ticket-{ticket.pk}.png"'
        response["Cache-Control"] = "private, max-age=86400"
        return response


class ResendTicketEmailView(LoginRequiredMixin, View):
    """Email the order of one of the user's tickets again."""

    def post(self, request, pk):
        ticket = get_user_ticket(request.user, pk)
        order = ticket.order_line.order
        try:
            email = services.resend_order_email(order, requested_by=request.user)
        except ResendTooSoon as error:
            messages.warning(request, error.message)
        else:
            messages.success(request, _("We are sending your tickets to %(email)s.") % {"email": email.recipient})
        return redirect(ticket)


class CheckInEventListView(LoginRequiredMixin, TemplateView):
    template_name = "tickets/checkin_events.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = selectors.checkin_events(self.request.user)
        return context


class CheckInView(LoginRequiredMixin, TemplateView):
    """Scan or paste ticket codes at one event's door."""

    template_name = "tickets/checkin.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # Another organiser's event is a 404, the same as a missing one.
            self.event = get_object_or_404(selectors.checkin_events(request.user), pk=kwargs["event_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Counted again after a scan, so the numbers on the page include it.
        context["event"] = selectors.checkin_events(self.request.user).get(pk=self.event.pk)
        context.setdefault("form", CheckInForm())
        return context

    def post(self, request, *args, **kwargs):
        form = CheckInForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            ticket = services.check_in(token=form.cleaned_data["payload"], by=request.user, event=self.event)
        except DomainError as error:
            result = {"ok": False, "message": error.message, "code": error.code}
            if isinstance(error, CheckInRejected):
                result["ticket"] = error.ticket
            status = error.status_code
        else:
            result = {"ok": True, "ticket": ticket, "code": "checked_in"}
            status = 200
        # A fresh, empty form is ready for the next scan.
        return self.render_to_response(self.get_context_data(result=result), status=status)
