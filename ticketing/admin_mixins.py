"""Scope the admin to the organiser's own events.

A superuser sees every row. Any other staff user (in practice a member of the Organisers group) sees
only rows whose event they organise, in changelists, change pages, searches, autocompletes, list
filters, actions and foreign key choices. Another organiser's object by URL is a 404, the same
response as a missing one.
"""
from django.contrib import admin
from django.contrib.admin import ActionLocation
from django.contrib.admin.exceptions import NotRegistered
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

# Actions shown both above the changelist and on each change page (Django 6.1 change form actions).
BOTH_LOCATIONS = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


def format_local_time(value, tzinfo):
    """Format an aware datetime in `tzinfo` with the zone's abbreviation, such as "2030-01-10 19:30 WAT"."""
    if value is None:
        # A change page prints a display method's None as "None", so return the site's empty value.
        return admin.site.empty_value_display
    return timezone.localtime(value, tzinfo).strftime("%Y-%m-%d %H:%M %Z")


def scope_to_organiser(queryset, user, organiser_path):
    """Return the rows of `queryset` that `user` may manage through the organiser at `organiser_path`."""
    if user.is_superuser:
        return queryset
    return queryset.filter(**{organiser_path: user})


class ScopedChoicesMixin:
    """Limit foreign key choices to rows that the related model's scoped admin would show."""

    def get_field_queryset(self, db, db_field, request):
        try:
            related_admin = self.admin_site.get_model_admin(db_field.remote_field.model)
        except NotRegistered:
            return super().get_field_queryset(db, db_field, request)
        if isinstance(related_admin, OrganiserScopedAdmin):
            return related_admin.get_queryset(request).using(db)
        return super().get_field_queryset(db, db_field, request)


class OrganiserScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """A ModelAdmin whose rows belong to the organiser found at `organiser_path`.

    Set `organiser_path` to the lookup from the model to the event's organiser, for example
    "organiser" on Event or "order__event__organiser" on Payment. Everything the admin shows or acts
    on starts from `get_queryset`, so filtering there scopes changelists, change pages, search,
    autocomplete (which asks the target model's admin) and the querysets actions receive.
    """

    organiser_path = ""

    def get_queryset(self, request):
        return scope_to_organiser(super().get_queryset(request), request.user, self.organiser_path)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Django's default is a redirect to the index with "doesn't exist"; a 404 gives another
            # organiser's object exactly the response of a missing one.
            raise Http404(_("No %(name)s matches the given ID.") % {"name": self.opts.verbose_name})
        return obj

    def get_list_filter(self, request):
        list_filter = list(super().get_list_filter(request))
        if request.user.is_superuser and self.organiser_path:
            # Only superusers see several organisers' rows, so only they need to tell them apart.
            list_filter.append((self.organiser_path, admin.RelatedOnlyFieldListFilter))
        return list_filter

    def log_action_on(self, request, objects, message):
        """Write one admin LogEntry per object, so the history page shows who ran which action."""
        for obj in objects:
            self.log_change(request, obj, message)


class ScopedInline(ScopedChoicesMixin, admin.TabularInline):
    """A tabular inline whose foreign key choices follow the organiser's scope."""


def confirm_action(model_admin, request, objects, *, title, question, confirm_label, warning=""):
    """Return a confirmation page for a destructive action, or None once the user has confirmed.

    The page posts the same form data back (the action name and the selected ids, from the
    changelist or from a change page) with `confirmed=yes`, so the action runs the second time.
    """
    if request.POST.get("confirmed") == "yes":
        return None
    hidden_fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        "question": question,
        "warning": warning,
        "confirm_label": confirm_label,
        "objects": objects,
        "hidden_fields": hidden_fields,
    }
    return TemplateResponse(request, "admin/confirm_action.html", context)
