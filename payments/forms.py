from django import forms
from django.utils.translation import gettext_lazy as _

QUANTITY_PREFIX = "qty_"


class CheckoutForm(forms.Form):
    """The event page's choice: the event and a quantity field `qty_<ticket type id>` per ticket type.

    Only the shape is checked here. Limits, sales windows and seats are checked by `check_order` for
    the review page and by `create_order` under lock, and both apply the same rules.
    """

    event = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, ticket_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.ticket_types = list(ticket_types)
        for ticket_type in self.ticket_types:
            self.fields[f"{QUANTITY_PREFIX}{ticket_type.pk}"] = forms.IntegerField(
                label=ticket_type.name, min_value=0, max_value=1000, required=False,
            )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(self.quantities().values()):
            raise forms.ValidationError(_("Choose at least one ticket."), code="empty")
        return cleaned

    def quantities(self) -> dict[int, int]:
        """Return the chosen seat count per ticket type id, zeros left out."""
        chosen = {}
        for ticket_type in self.ticket_types:
            quantity = self.cleaned_data.get(f"{QUANTITY_PREFIX}{ticket_type.pk}") or 0
            if quantity:
                chosen[ticket_type.pk] = quantity
        return chosen
