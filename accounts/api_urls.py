from django.urls import path

from accounts import api

urlpatterns = [
    path("users/", api.RegisterAPIView.as_view(), name="api-register"),
    path("users/me/", api.MeAPIView.as_view(), name="api-me"),
    path("token/", api.TokenObtainView.as_view(), name="token_obtain_pair"),
    path("token/refresh/", api.TokenRefreshView.as_view(), name="token_refresh"),
    path("token/blacklist/", api.TokenBlacklistView.as_view(), name="token_blacklist"),
]
