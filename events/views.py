from django.http import Http404
from django.views.generic import ListView, TemplateView

from events import selectors
from events.forms import EventSearchForm
from events.models import Event


class HomeView(TemplateView):
    template_name = "events/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = selectors.public_events()[:6]
        context["search_form"] = EventSearchForm()
        return context


class EventListView(ListView):
    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = 12

    def get_queryset(self):
        self.search_form = EventSearchForm(self.request.GET or None)
        if self.search_form.is_bound and self.search_form.is_valid():
            data = self.search_form.cleaned_data
            return selectors.public_events(
                query=data["q"], date_from=data["date_from"], date_to=data["date_to"],
            )
        if self.search_form.is_bound:
            return Event.objects.none()
        return selectors.public_events()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["search_form"] = self.search_form
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


class EventDetailView(TemplateView):
    template_name = "events/event_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            event = selectors.public_event(kwargs["slug"])
        except Event.DoesNotExist:
            raise Http404("No such event.") from None
        context["event"] = event
        ticket_types = selectors.ticket_types_for_sale(event)
        self._fill_in_choice(ticket_types)
        context["ticket_types"] = ticket_types
        context["sales_closed_reason"] = event.sales_closed_reason()
        # The purchase form shows its Buy button only when at least one ticket type can be bought.
        context["buyable"] = any(
            ticket_type.available and not ticket_type.sales_closed_reason() for ticket_type in ticket_types
        )
        return context

    def _fill_in_choice(self, ticket_types):
        """Set each type's `chosen` quantity from `qty_<id>` in the query string, as "Change tickets" sends it.

        `max_quantity`, the quantity input's maximum, is what one order can take now. The chosen
        quantity may exceed it, so a rejected choice comes back as the buyer made it.
        """
        for ticket_type in ticket_types:
            ticket_type.max_quantity = min(ticket_type.max_per_order, ticket_type.available)
            try:
                chosen = int(self.request.GET.get(f"qty_{ticket_type.pk}", 0))
            except ValueError:
                chosen = 0
            ticket_type.chosen = min(max(chosen, 0), ticket_type.max_per_order)
