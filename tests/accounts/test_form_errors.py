"""How the register and login forms point at their errors: focus, ARIA and placement."""
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

REGISTER = reverse("accounts:register")
LOGIN = reverse("accounts:login")


def registration(**overrides):
    data = {
        "username": "ada",
        "email": "ada@example.com",
        "password1": "a-Long-new-passw0rd",
        "password2": "a-Long-new-passw0rd",
    }
    data.update(overrides)
    return data


def input_tag(html, name):
    """Return the <input> tag for the field called `name`."""
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    assert match, f"no input named {name}"
    return match.group(0)


def autofocused(html):
    """Return the names of the inputs that have autofocus."""
    return re.findall(r'<input[^>]*\bname="([^"]+)"[^>]*\bautofocus\b', html)


def test_password_errors_under_password(client):
    response = client.post(REGISTER, registration(password1="password123", password2="password123"))

    errors = response.context["form"].errors
    assert "too common" in " ".join(errors["password1"])
    assert "password2" not in errors


def test_password_error_marks_password_input(client):
    html = client.post(REGISTER, registration(password1="password123", password2="password123")).content.decode()

    assert 'aria-invalid="true"' in input_tag(html, "password1")
    assert "aria-invalid" not in input_tag(html, "password2")


def test_mismatch_skips_password_validators(client):
    response = client.post(REGISTER, registration(password1="password123", password2="another-Long-passw0rd"))

    errors = response.context["form"].errors
    assert "didn’t match" in " ".join(errors["password2"])
    assert "password1" not in errors


def test_register_focuses_first_invalid_field(client):
    html = client.post(REGISTER, registration(email="not-an-email", password2="other")).content.decode()

    assert autofocused(html) == ["email"]


def test_register_focuses_password_error(client):
    html = client.post(REGISTER, registration(password1="password123", password2="password123")).content.decode()

    assert autofocused(html) == ["password1"]


def test_register_focuses_username_first(client):
    html = client.get(REGISTER).content.decode()

    assert autofocused(html) == ["username"]


def test_login_focuses_missing_password(client):
    html = client.post(LOGIN, {"username": "attendee", "password": ""}).content.decode()

    assert autofocused(html) == ["password"]


def test_login_keeps_focus_on_wrong_password(client, user):
    """A wrong password is a form-wide error, so the focus stays on the first field."""
    html = client.post(LOGIN, {"username": "attendee", "password": "wrong"}).content.decode()

    assert autofocused(html) == ["username"]


@pytest.mark.parametrize("name", ["email", "password1"])
def test_invalid_field_described_by_error(client, name):
    # "1234" breaks three password validators, so password1 has several errors.
    html = client.post(REGISTER, registration(email="bad", password1="1234", password2="1234")).content.decode()

    tag = input_tag(html, name)
    assert 'aria-invalid="true"' in tag
    assert f"id_{name}_error" in re.search(r'aria-describedby="([^"]*)"', tag).group(1).split()
    assert html.count(f'id="id_{name}_error"') == 1


def test_login_focuses_username_first(client):
    html = client.get(LOGIN).content.decode()

    assert autofocused(html) == ["username"]
