from django.http import Http404
from django.urls import path

app_name = "tickets"


def not_built_yet(request, pk=None):
    raise Http404("Ticket pages are not available yet.")


urlpatterns = [
    path("", not_built_yet, name="list"),
    path("<int:pk>/", not_built_yet, name="detail"),
]
