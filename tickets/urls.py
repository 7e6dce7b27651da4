from django.urls import path

from tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.TicketListView.as_view(), name="list"),
    path("<int:pk>/", views.TicketDetailView.as_view(), name="detail"),
    path("<int:pk>/qr.png", views.TicketQRCodeView.as_view(), name="qr-png"),
    path("<int:pk>/resend/", views.ResendTicketEmailView.as_view(), name="resend"),
    path("checkin/", views.CheckInEventListView.as_view(), name="checkin-events"),
    path("checkin/<int:event_id>/", views.CheckInView.as_view(), name="checkin"),
]
