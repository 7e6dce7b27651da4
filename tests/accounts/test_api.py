"""The accounts API: registration, "me", and JWT issue, refresh and blacklist."""
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from accounts.ratelimit import parse_rate
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

USERS = "/api/users/"
ME = "/api/users/me/"
TOKEN = "/api/token/"
REFRESH = "/api/token/refresh/"
BLACKLIST = "/api/token/blacklist/"


def new_user(**overrides):
    data = {"email": "ada@example.com", "username": "ada", "password": "a-Long-new-passw0rd"}
    data.update(overrides)
    return data


def rate_limit(scope):
    return parse_rate(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope])[0]


def tokens_for(api_client, username="attendee"):
    response = api_client.post(TOKEN, {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_register_returns_user_without_password(api_client):
    response = api_client.post(USERS, new_user(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "ada"
    assert body["email"] == "ada@example.com"
    assert isinstance(body["id"], int)
    assert "password" not in body
    assert get_user_model().objects.get(username="ada").check_password("a-Long-new-passw0rd")


def test_register_accepts_form_encoded(api_client):
    response = api_client.post(USERS, new_user())

    assert response.status_code == 201


def test_register_lowers_email(api_client):
    response = api_client.post(USERS, new_user(email="Ada@Example.COM"), format="json")

    assert response.json()["email"] == "ada@example.com"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "short"}, "password"),
        ({"password": "12345678901"}, "password"),
        ({"password": "password123"}, "password"),
        ({"password": "ada-example"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"username": "bad name!"}, "username"),
        ({"username": "x" * 151}, "username"),
        ({"username": ""}, "username"),
    ],
)
def test_register_rejects_bad_input(api_client, overrides, field):
    response = api_client.post(USERS, new_user(**overrides), format="json")

    assert response.status_code == 400
    assert response.json()[field]
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("field", ["email", "username", "password"])
def test_register_requires_field(api_client, field):
    data = new_user()
    del data[field]

    response = api_client.post(USERS, data, format="json")

    assert response.status_code == 400
    assert response.json()[field]
    assert not get_user_model().objects.exists()


def test_register_rejects_email_in_other_case(api_client, make_user):
    make_user("first", email="ada@example.com")

    response = api_client.post(USERS, new_user(email="ADA@example.com"), format="json")

    assert response.status_code == 400
    assert "already exists" in response.json()["email"][0]
    assert get_user_model().objects.count() == 1


def test_register_rejects_username_in_other_case(api_client, make_user):
    make_user("ada", email="first@example.com")

    response = api_client.post(USERS, new_user(username="Ada"), format="json")

    assert response.status_code == 400
    assert response.json()["username"]
    assert get_user_model().objects.count() == 1


def test_register_ignores_privilege_fields(api_client):
    response = api_client.post(USERS, new_user(is_staff=True, is_superuser=True), format="json")

    assert response.status_code == 201
    user = get_user_model().objects.get(username="ada")
    assert not user.is_staff
    assert not user.is_superuser


def test_register_rejects_non_object_body(api_client):
    response = api_client.post(USERS, ["ada"], format="json")

    assert response.status_code == 400
    assert not get_user_model().objects.exists()


def test_register_throttled_with_retry_after(api_client):
    for number in range(rate_limit("register")):
        api_client.post(USERS, new_user(username=f"u{number}", email="bad"), format="json")

    response = api_client.post(USERS, new_user(), format="json")

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert not get_user_model().objects.exists()


def test_me_requires_token(api_client):
    response = api_client.get(ME)

    assert response.status_code == 401
    assert response.json()["detail"]


def test_me_returns_caller(auth_client, user):
    response = auth_client(user).get(ME)

    assert response.status_code == 200
    assert response.json()["username"] == "attendee"
    assert response.json()["is_organiser"] is False


def test_me_marks_organiser(auth_client, organiser):
    assert auth_client(organiser).get(ME).json()["is_organiser"] is True


def test_me_rejects_garbage_token(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    assert api_client.get(ME).status_code == 401


def test_token_from_json(api_client, user):
    response = api_client.post(TOKEN, {"username": "attendee", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert set(response.json()) >= {"access", "refresh"}


def test_token_from_form_encoded(api_client, user):
    response = api_client.post(
        TOKEN, f"username=attendee&password={PASSWORD}", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert response.json()["access"]


def test_token_by_email(api_client, user):
    response = api_client.post(TOKEN, {"username": "ATTENDEE@example.com", "password": PASSWORD}, format="json")

    assert response.status_code == 200


def test_token_wrong_password(api_client, user):
    response = api_client.post(TOKEN, {"username": "attendee", "password": "wrong"}, format="json")

    assert response.status_code == 401
    assert "access" not in response.json()


def test_token_missing_password(api_client, user):
    response = api_client.post(TOKEN, {"username": "attendee"}, format="json")

    assert response.status_code == 400
    assert response.json()["password"]


def test_token_refused_for_inactive_user(api_client, make_user):
    make_user("sleepy", is_active=False)

    response = api_client.post(TOKEN, {"username": "sleepy", "password": PASSWORD}, format="json")

    assert response.status_code == 401


def test_access_token_works_for_me(api_client, user):
    access = tokens_for(api_client)["access"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")

    assert api_client.get(ME).status_code == 200


def test_access_token_rejected_after_deactivation(api_client, user):
    access = tokens_for(api_client)["access"]
    user.is_active = False
    user.save()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")

    assert api_client.get(ME).status_code == 401


def test_refresh_rotates_token(api_client, user):
    refresh = tokens_for(api_client)["refresh"]

    response = api_client.post(REFRESH, {"refresh": refresh}, format="json")

    assert response.status_code == 200
    assert response.json()["access"]
    assert response.json()["refresh"] != refresh


def test_refresh_token_single_use(api_client, user):
    refresh = tokens_for(api_client)["refresh"]
    api_client.post(REFRESH, {"refresh": refresh}, format="json")

    response = api_client.post(REFRESH, {"refresh": refresh}, format="json")

    assert response.status_code == 401


def test_rotated_refresh_token_works(api_client, user):
    refresh = tokens_for(api_client)["refresh"]
    rotated = api_client.post(REFRESH, {"refresh": refresh}, format="json").json()["refresh"]

    assert api_client.post(REFRESH, {"refresh": rotated}, format="json").status_code == 200


def test_refresh_refused_for_inactive_user(api_client, user):
    refresh = tokens_for(api_client)["refresh"]
    user.is_active = False
    user.save()

    response = api_client.post(REFRESH, {"refresh": refresh}, format="json")

    assert response.status_code == 401


def test_refresh_refused_for_deleted_user(api_client, user):
    refresh = tokens_for(api_client)["refresh"]
    user.delete()

    response = api_client.post(REFRESH, {"refresh": refresh}, format="json")

    assert response.status_code == 401


def test_refresh_rejects_access_token(api_client, user):
    access = tokens_for(api_client)["access"]

    assert api_client.post(REFRESH, {"refresh": access}, format="json").status_code == 401


def test_refresh_rejects_garbage(api_client, db):
    assert api_client.post(REFRESH, {"refresh": "garbage"}, format="json").status_code == 401


def test_blacklist_logs_out(api_client, user):
    refresh = tokens_for(api_client)["refresh"]

    response = api_client.post(BLACKLIST, {"refresh": refresh}, format="json")

    assert response.status_code == 200
    assert api_client.post(REFRESH, {"refresh": refresh}, format="json").status_code == 401


def test_blacklist_twice_is_401(api_client, user):
    refresh = tokens_for(api_client)["refresh"]
    api_client.post(BLACKLIST, {"refresh": refresh}, format="json")

    assert api_client.post(BLACKLIST, {"refresh": refresh}, format="json").status_code == 401


def test_token_throttled_with_retry_after(api_client, user):
    for _attempt in range(rate_limit("login")):
        api_client.post(TOKEN, {"username": "attendee", "password": "wrong"}, format="json")

    response = api_client.post(TOKEN, {"username": "attendee", "password": PASSWORD}, format="json")

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "access" not in response.json()
