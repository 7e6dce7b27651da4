from django.urls import path

from events import api

urlpatterns = [
    path("events/", api.EventListCreateAPIView.as_view(), name="api-events"),
    path("events/<int:pk>/", api.EventDetailAPIView.as_view(), name="api-event-detail"),
]
