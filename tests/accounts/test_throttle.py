"""The login and register pages while a client is throttled: no input is checked."""
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import EmailOrUsernameBackend
from accounts.ratelimit import parse_rate
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
REGISTER = reverse("accounts:register")
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
SECONDS = re.compile(r"Try again in \d+ seconds")


def exhaust(client, path, scope, data):
    """Post until the next request from this client is over the limit."""
    limit = parse_rate(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope])[0]
    for _attempt in range(limit):
        client.post(path, data)


def normalised(response):
    """Return the page with the per-render CSRF token and the countdown blanked out."""
    html = CSRF_TOKEN.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())
    return SECONDS.sub("Try again in N seconds", html)


@pytest.fixture
def signals():
    """Record the login signals sent during a test."""
    sent = []

    def record(signal):
        return lambda **kwargs: sent.append(signal)

    failed, logged_in = record("user_login_failed"), record("user_logged_in")
    user_login_failed.connect(failed)
    user_logged_in.connect(logged_in)
    yield sent
    user_login_failed.disconnect(failed)
    user_logged_in.disconnect(logged_in)


@pytest.fixture
def authenticate_calls(monkeypatch):
    """Count calls to the login backend, still letting each one run."""
    calls = []
    real = EmailOrUsernameBackend.authenticate

    def spy(self, request, *args, **kwargs):
        calls.append(kwargs.get("username"))
        return real(self, request, *args, **kwargs)

    monkeypatch.setattr(EmailOrUsernameBackend, "authenticate", spy)
    return calls


def test_throttled_login_same_for_any_password(client, user):
    exhaust(client, LOGIN, "login", {"username": "someone", "password": "x"})

    right = client.post(LOGIN, {"username": "attendee", "password": PASSWORD})
    wrong = client.post(LOGIN, {"username": "attendee", "password": "wrong"})

    assert right.status_code == wrong.status_code == 429
    assert normalised(right) == normalised(wrong)
    assert "Please enter a correct" not in wrong.content.decode()


def test_throttled_login_shows_only_throttle_error(client, user):
    exhaust(client, LOGIN, "login", {"username": "someone", "password": "x"})

    response = client.post(LOGIN, {"username": "attendee", "password": "wrong"})

    form = response.context["form"]
    assert not form.is_bound
    assert re.search(r"Too many attempts\. Try again in \d+ seconds\.", response.content.decode())
    assert int(response["Retry-After"]) >= 1


def test_throttled_login_does_not_authenticate(client, user, signals, authenticate_calls):
    exhaust(client, LOGIN, "login", {"username": "someone", "password": "x"})
    signals.clear()
    authenticate_calls.clear()

    client.post(LOGIN, {"username": "attendee", "password": PASSWORD})
    client.post(LOGIN, {"username": "attendee", "password": "wrong"})

    assert signals == []
    assert authenticate_calls == []
    assert "_auth_user_id" not in client.session


def test_throttled_login_keeps_username_not_password(client, user):
    exhaust(client, LOGIN, "login", {"username": "someone", "password": "x"})

    html = client.post(LOGIN, {"username": "attendee", "password": PASSWORD}).content.decode()

    assert 'name="username" value="attendee"' in html
    assert PASSWORD not in html


def test_throttled_register_skips_validation(client, make_user):
    make_user("taken", email="taken@example.com")
    exhaust(client, REGISTER, "register", {"username": "x", "email": "bad"})

    with CaptureQueriesContext(connection) as queries:
        response = client.post(REGISTER, {
            "username": "taken", "email": "taken@example.com",
            "password1": "password123", "password2": "password123",
        })

    assert response.status_code == 429
    assert not response.context["form"].is_bound
    assert "already exists" not in response.content.decode()
    assert "too common" not in response.content.decode()
    user_table = get_user_model()._meta.db_table
    assert not [query for query in queries if user_table in query["sql"]]


def test_throttled_register_keeps_typed_values(client):
    exhaust(client, REGISTER, "register", {"username": "x", "email": "bad"})

    html = client.post(REGISTER, {
        "username": "ada", "email": "ada@example.com", "first_name": "Ada",
        "password1": "a-Long-new-passw0rd", "password2": "a-Long-new-passw0rd",
    }).content.decode()

    assert 'value="ada@example.com"' in html
    assert 'name="first_name" value="Ada"' in html
    assert "a-Long-new-passw0rd" not in html
