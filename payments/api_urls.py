from django.urls import re_path

from payments import api

# Each path works with and without its trailing slash, because older clients send none.
urlpatterns = [
    re_path(r"^payments/pay/?$", api.PayAPIView.as_view(), name="api-pay"),
    re_path(r"^payments/verify/(?P<reference>[A-Za-z0-9.=-]{1,100})/?$", api.VerifyAPIView.as_view(), name="api-verify"),
    re_path(r"^payments/webhook/?$", api.webhook, name="api-webhook"),
    re_path(
        r"^payments/sandbox/(?P<reference>[A-Za-z0-9.=-]{1,100})/?$",
        api.SandboxDecisionAPIView.as_view(), name="api-sandbox-decision",
    ),
]
