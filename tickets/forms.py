from django import forms
from django.utils.translation import gettext_lazy as _

from tickets.signing import MAX_TOKEN_LENGTH


class CheckInForm(forms.Form):
    payload = forms.CharField(
        label=_("Ticket code"),
        max_length=MAX_TOKEN_LENGTH,
        help_text=_("Scan the QR code, or paste the text it contains, which starts with TK1."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "spellcheck": "false"}),
    )
