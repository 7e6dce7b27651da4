from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("events/", views.EventListView.as_view(), name="list"),
    path("events/<str:slug>/", views.EventDetailView.as_view(), name="detail"),
]
