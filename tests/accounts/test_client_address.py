"""The address that login and registration throttles count, with and without trusted proxies."""
import pytest
from django.conf import settings
from django.urls import reverse

from accounts.ratelimit import parse_rate
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
TOKEN = "/api/token/"


def login_limit():
    return parse_rate(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"])[0]


def forged(number):
    """Return a different made-up X-Forwarded-For value for each attempt."""
    return f"198.51.100.{number + 1}"


@pytest.fixture
def one_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def test_num_proxies_defaults_to_zero():
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


def test_token_ignores_forged_forwarded_for(api_client, user):
    for number in range(login_limit()):
        api_client.post(
            TOKEN, {"username": "attendee", "password": "wrong"}, format="json", HTTP_X_FORWARDED_FOR=forged(number),
        )

    for number in range(login_limit(), login_limit() + 2):
        response = api_client.post(
            TOKEN, {"username": "attendee", "password": PASSWORD}, format="json", HTTP_X_FORWARDED_FOR=forged(number),
        )

        assert response.status_code == 429
        assert "access" not in response.json()


def test_login_page_ignores_forged_forwarded_for(client, user):
    for number in range(login_limit()):
        client.post(LOGIN, {"username": "attendee", "password": "wrong"}, HTTP_X_FORWARDED_FOR=forged(number))

    for number in range(login_limit(), login_limit() + 2):
        response = client.post(
            LOGIN, {"username": "attendee", "password": PASSWORD}, HTTP_X_FORWARDED_FOR=forged(number),
        )

        assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_page_behind_proxy_counts_forwarded_client(client, user, one_proxy):
    for _attempt in range(login_limit()):
        client.post(LOGIN, {"username": "attendee", "password": "wrong"}, HTTP_X_FORWARDED_FOR="203.0.113.1")

    other_client = client.post(
        LOGIN, {"username": "attendee", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.2",
    )

    assert other_client.status_code == 302


def test_login_page_behind_proxy_ignores_forged_entries(client, user, one_proxy):
    """Count only the entry the trusted proxy appended, because the client wrote the ones before it."""
    for number in range(login_limit()):
        client.post(
            LOGIN, {"username": "attendee", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"{forged(number)}, 203.0.113.1",
        )

    response = client.post(
        LOGIN, {"username": "attendee", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.1",
    )

    assert response.status_code == 429


def test_token_behind_proxy_ignores_forged_entries(api_client, user, one_proxy):
    for number in range(login_limit()):
        api_client.post(
            TOKEN, {"username": "attendee", "password": "wrong"}, format="json",
            HTTP_X_FORWARDED_FOR=f"{forged(number)}, 203.0.113.1",
        )

    response = api_client.post(
        TOKEN, {"username": "attendee", "password": PASSWORD}, format="json",
        HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.1",
    )

    assert response.status_code == 429
