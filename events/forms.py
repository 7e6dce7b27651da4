from django import forms
from django.utils.translation import gettext_lazy as _


class EventSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data
