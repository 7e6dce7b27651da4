"""Register, log in, log out and "my account" pages."""
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.ratelimit import parse_rate
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

REGISTER = reverse("accounts:register")
LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
ACCOUNT = reverse("accounts:account")


def registration(**overrides):
    data = {
        "username": "ada",
        "email": "ada@example.com",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "password1": "a-Long-new-passw0rd",
        "password2": "a-Long-new-passw0rd",
    }
    data.update(overrides)
    return data


def rate_limit(scope):
    return parse_rate(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope])[0]


def test_register_page_labels_every_field(client):
    html = client.get(REGISTER).content.decode()

    for field in ("username", "email", "first_name", "last_name", "password1", "password2"):
        assert f'<label for="id_{field}">' in html


def test_register_creates_user_and_logs_in(client):
    response = client.post(REGISTER, registration(), follow=True)

    user = get_user_model().objects.get(username="ada")
    assert response.context["user"] == user
    assert response.redirect_chain[-1][0] == ACCOUNT
    assert "Your account is ready" in response.content.decode()


def test_register_stores_password_hashed(client):
    client.post(REGISTER, registration())

    user = get_user_model().objects.get(username="ada")
    assert user.password != "a-Long-new-passw0rd"
    assert user.check_password("a-Long-new-passw0rd")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1", "entirely numeric"),
        ({"password1": "password123", "password2": "password123"}, "password1", "too common"),
        ({"password2": "another-Long-passw0rd"}, "password2", "didn’t match"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"email": ""}, "email", "required"),
        ({"username": "bad name!"}, "username", "valid username"),
    ],
)
def test_register_rejects_bad_input(client, overrides, field, message):
    response = client.post(REGISTER, registration(**overrides))

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not get_user_model().objects.exists()


def test_register_rejects_email_in_other_case(client, make_user):
    make_user("first", email="ada@example.com")

    response = client.post(REGISTER, registration(email="ADA@Example.com"))

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert get_user_model().objects.count() == 1


def test_register_rejects_username_in_other_case(client, make_user):
    make_user("ada", email="first@example.com")

    response = client.post(REGISTER, registration(username="ADA"))

    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert get_user_model().objects.count() == 1


def test_register_returns_to_next(client, event):
    response = client.post(REGISTER + f"?next={event.get_absolute_url()}", registration())

    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()


def test_register_ignores_outside_next(client):
    response = client.post(REGISTER, registration(next="https://evil.example.net/steal"))

    assert response["Location"] == ACCOUNT


def test_register_keeps_next_in_form(client):
    html = client.get(REGISTER + "?next=/events/").content.decode()

    assert 'name="next" value="/events/"' in html


def test_login_by_username(client, user):
    response = client.post(LOGIN, {"username": "attendee", "password": PASSWORD}, follow=True)

    assert response.context["user"] == user


def test_login_by_email_any_case(client, make_user):
    user = make_user("ada", email="ada@example.com")

    response = client.post(LOGIN, {"username": "ADA@example.com", "password": PASSWORD}, follow=True)

    assert response.context["user"] == user


def test_login_wrong_password_shows_form(client, user):
    response = client.post(LOGIN, {"username": "attendee", "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_login_rejects_inactive_user(client, make_user):
    make_user("sleepy", is_active=False)

    response = client.post(LOGIN, {"username": "sleepy", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_returns_to_next(client, user, event):
    response = client.post(LOGIN, {"username": "attendee", "password": PASSWORD, "next": event.get_absolute_url()})

    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()


@pytest.mark.parametrize("next_url", ["https://evil.example.net/", "//evil.example.net/", "javascript:alert(1)"])
def test_login_ignores_outside_next(client, user, next_url):
    response = client.post(LOGIN, {"username": "attendee", "password": PASSWORD, "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == ACCOUNT


def test_login_link_carries_current_page(client, event):
    html = client.get(event.get_absolute_url()).content.decode()

    assert f'href="{LOGIN}?next={event.get_absolute_url()}"' in html.replace("%2F", "/")


def test_login_throttled_with_retry_after(client, user):
    for _attempt in range(rate_limit("login")):
        client.post(LOGIN, {"username": "attendee", "password": "wrong"})

    response = client.post(LOGIN, {"username": "attendee", "password": PASSWORD})

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "Too many attempts" in response.content.decode()
    assert 'name="password"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_register_throttled_with_retry_after(client):
    for number in range(rate_limit("register")):
        client.post(REGISTER, registration(username=f"user{number}", email="bad"))

    response = client.post(REGISTER, registration())

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert 'name="password1"' in response.content.decode()
    assert not get_user_model().objects.exists()


def test_throttle_is_per_client_address(client, user):
    for _attempt in range(rate_limit("login")):
        client.post(LOGIN, {"username": "attendee", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")

    response = client.post(LOGIN, {"username": "attendee", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")

    assert response.status_code == 302


def test_logout_needs_post(client, user):
    client.force_login(user)

    assert client.get(LOGOUT).status_code == 405
    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_account_needs_login(client):
    response = client.get(ACCOUNT)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={ACCOUNT}"


def test_account_shows_user(client, make_user):
    user = make_user("ada", email="ada@example.com", first_name="Ada", last_name="Lovelace")
    client.force_login(user)

    html = client.get(ACCOUNT).content.decode()

    assert "ada@example.com" in html
    assert "Ada Lovelace" in html


def test_nav_for_anonymous(client, db):
    html = client.get("/").content.decode()

    assert f'href="{LOGIN}' in html
    assert f'href="{REGISTER}' in html
    assert "Log out" not in html


def test_nav_for_logged_in_user(client, user):
    client.force_login(user)

    html = client.get("/").content.decode()

    assert "Log out attendee" in html
    assert f'href="{ACCOUNT}"' in html
    assert "Organiser admin" not in html


def test_nav_shows_admin_to_organiser(client, organiser):
    client.force_login(organiser)

    html = client.get("/").content.decode()

    assert "Organiser admin" in html


def test_messages_shown_in_layout(client):
    response = client.post(REGISTER, registration(), follow=True)

    assert 'class="messages"' in response.content.decode()
