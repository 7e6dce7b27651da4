"""Fixtures shared by every test folder: users, organisers, events and an API client."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.groups import ensure_organisers_group
from events.models import Event
from events.services import create_event

PASSWORD = "a-Long-test-passw0rd"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash test passwords with MD5: PBKDF2's deliberate slowness only costs test time here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def clear_cache():
    """Start every test with an empty cache, so throttles and cached renders do not leak."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(db, django_user_model):
    counter = {"n": 0}

    def make(username=None, *, organiser=False, **fields):
        counter["n"] += 1
        username = username or f"user{counter['n']}"
        fields.setdefault("email", f"{username}@example.com")
        user = django_user_model.objects.create_user(username=username, password=PASSWORD, **fields)
        if organiser:
            user.is_staff = True
            user.save()
            user.groups.add(ensure_organisers_group())
        return user

    return make


@pytest.fixture
def user(make_user):
    return make_user("attendee")


@pytest.fixture
def organiser(make_user):
    return make_user("organiser", organiser=True)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def auth_client(api_client):
    """Return a function that logs an API client in as a user with a real JWT."""

    def login(user):
        client = APIClient()
        response = client.post("/api/token/", {"username": user.username, "password": PASSWORD}, format="json")
        assert response.status_code == 200, response.content
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
        return client

    return login


@pytest.fixture
def make_event(db, organiser):
    def make(*, types=(("General admission", "5000.00", 100),), days=10, status=Event.Status.PUBLISHED, **fields):
        starts_at = fields.pop("starts_at", timezone.now() + timedelta(days=days))
        fields.setdefault("title", "Lagos Jazz Night")
        fields.setdefault("location", "Lagos")
        return create_event(
            organiser=fields.pop("organiser", organiser), starts_at=starts_at, status=status,
            ticket_types=[
                {"name": name, "price": Decimal(price), "capacity": capacity} for name, price, capacity in types
            ],
            **fields,
        )

    return make


@pytest.fixture
def event(make_event):
    return make_event()


def pytest_collection_modifyitems(config, items):
    """Skip tests marked `postgres` when the suite runs on another database, with the reason."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL row locks and concurrent connections; set DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
