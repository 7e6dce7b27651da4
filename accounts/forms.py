from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _


class FocusFirstErrorMixin:
    """Put autofocus on the first field with an error, so the cursor lands where the fix is needed."""

    def full_clean(self):
        super().full_clean()
        invalid = [name for name in self.fields if name in self._errors]
        if not invalid:
            return
        # self.fields is a per-form deep copy, so changing widget attrs leaves other forms alone.
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        self.fields[invalid[0]].widget.attrs["autofocus"] = True


class RegistrationForm(FocusFirstErrorMixin, UserCreationForm):
    email = forms.EmailField(label=_("Email address"), help_text=_("Your tickets are sent here."))

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email", "first_name", "last_name")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email address already exists."))
        return email

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def validate_password_for_user(self, user, password_field_name="password1"):
        """Run the password validators and show their errors under Password, not its confirmation."""
        # UserCreationForm validates password2 instead. When the two passwords differ, clean() has
        # already removed password2 with a "didn't match" error, and Django then skips the validators.
        if "password2" not in self.cleaned_data:
            return
        super().validate_password_for_user(user, password_field_name=password_field_name)


class LoginForm(FocusFirstErrorMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("Username or email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocapitalize": "none", "autocomplete": "username"}),
    )
