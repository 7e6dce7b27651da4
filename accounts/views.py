from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from accounts import services
from accounts.forms import LoginForm, RegistrationForm
from accounts.ratelimit import retry_after


class RateLimitedFormMixin:
    """Reject a POST with 429 and the form shown again when this client posts too often."""

    rate_scope = ""

    def post(self, request, *args, **kwargs):
        wait = retry_after(request, self.rate_scope)
        if wait is not None:
            return self.throttled_response(wait)
        return super().post(request, *args, **kwargs)

    def throttled_response(self, wait):
        """Render the form unvalidated, so a throttled client learns nothing about its input."""
        # A bound form validates as soon as its errors are read, which would check the password
        # (or look up the email) and show the result. An unbound form with the typed values as
        # initial data keeps the input without running any check.
        kwargs = self.get_form_kwargs()
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        kwargs["initial"] = {**kwargs.get("initial", {}), **self.typed_values()}
        context = self.get_context_data(
            form=self.get_form_class()(**kwargs),
            throttle_message=_("Too many attempts. Try again in %(seconds)s seconds.") % {"seconds": wait},
        )
        response = self.render_to_response(context, status=429)
        response["Retry-After"] = str(wait)
        return response

    def typed_values(self):
        """Return the posted values of the form's fields, except passwords."""
        fields = self.get_form_class().base_fields
        return {
            name: self.request.POST[name]
            for name, field in fields.items()
            if name in self.request.POST and not isinstance(field.widget, forms.PasswordInput)
        }


class LoginView(RateLimitedFormMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True
    rate_scope = "login"


class LogoutView(auth_views.LogoutView):
    pass


class RegisterView(RateLimitedFormMixin, FormView):
    template_name = "accounts/register.html"
    form_class = RegistrationForm
    rate_scope = "register"

    def get_success_url(self):
        next_url = self.request.POST.get("next") or self.request.GET.get("next")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return next_url
        return resolve_url("accounts:account")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.request.POST.get("next") or self.request.GET.get("next", "")
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        user = services.register_user(
            username=data["username"], email=data["email"], password=data["password1"],
            first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
        )
        login(self.request, user, backend="accounts.backends.EmailOrUsernameBackend")
        messages.success(self.request, _("Welcome, %(name)s. Your account is ready.") % {"name": user})
        return redirect(self.get_success_url())


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/account.html"
