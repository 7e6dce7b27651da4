from django.urls import path

from tickets import api

urlpatterns = [
    path("tickets/", api.TicketListAPIView.as_view(), name="api-tickets"),
    path("tickets/<int:pk>/", api.TicketDetailAPIView.as_view(), name="api-ticket-detail"),
    # Older clients send no trailing slash.
    path("tickets/<int:pk>", api.TicketDetailAPIView.as_view()),
    path("checkin/", api.CheckInAPIView.as_view(), name="api-checkin"),
    path("checkin", api.CheckInAPIView.as_view()),
    path("checkin/events/<int:pk>/key/", api.SigningKeyAPIView.as_view(), name="api-checkin-key"),
    path("checkin/events/<int:pk>/revoked/", api.RevocationListAPIView.as_view(), name="api-checkin-revoked"),
]
