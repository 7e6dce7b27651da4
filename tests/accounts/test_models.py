"""The custom user model: case-insensitive uniqueness, email normalisation, organiser role."""
import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from accounts.groups import ensure_organisers_group
from accounts.models import ORGANISERS_GROUP
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_email_stored_lower_case(make_user):
    user = make_user("ada", email="Ada.Lovelace@Example.COM")

    user.refresh_from_db()
    assert user.email == "ada.lovelace@example.com"


def test_email_unique_ignoring_case(make_user):
    make_user("ada", email="ada@example.com")

    with pytest.raises(IntegrityError), transaction.atomic():
        # bulk_create skips save(), so the email reaches the database as typed.
        get_user_model().objects.bulk_create([get_user_model()(username="other", email="ADA@example.com")])


def test_username_unique_ignoring_case(make_user):
    make_user("ada")

    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.create(username="ADA", email="someone@example.com")


def test_natural_key_ignores_case(make_user):
    user = make_user("ada")

    assert get_user_model().objects.get_by_natural_key("ADA") == user


def test_authenticate_by_email_any_case(make_user):
    user = make_user("ada", email="ada@example.com")

    assert authenticate(username="ADA@Example.com", password=PASSWORD) == user


def test_authenticate_rejects_inactive(make_user):
    make_user("ada", is_active=False)

    assert authenticate(username="ada", password=PASSWORD) is None


def test_authenticate_by_email_beside_username_squatter(make_user):
    """A username equal to another user's email must not lock that user out of email login."""
    squatter = make_user("victim@example.com", email="squatter@example.com")
    squatter.set_password("squatters-own-Passw0rd")
    squatter.save()
    victim = make_user("victim", email="victim@example.com")

    assert authenticate(username="victim@example.com", password=PASSWORD) == victim


def test_organisers_group_has_event_permissions():
    group = Group.objects.get(name=ORGANISERS_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))

    assert {"add_event", "change_event", "add_tickettype", "change_tickettype"} <= codenames
    assert {"view_order", "view_payment", "view_ticket", "change_ticket"} <= codenames


def test_recreated_group_matches_migrations():
    """A group recreated after a flush grants exactly what the data migrations granted."""
    migrated = Group.objects.get(name=ORGANISERS_GROUP)
    migrated_permissions = set(migrated.permissions.values_list("content_type__app_label", "codename"))
    migrated.delete()

    recreated = ensure_organisers_group()

    assert set(recreated.permissions.values_list("content_type__app_label", "codename")) == migrated_permissions
    assert ensure_organisers_group() == recreated


def test_is_organiser_needs_group_and_staff(make_user):
    staff_only = make_user("staff", is_staff=True)
    organiser = make_user("org", organiser=True)
    superuser = make_user("root", is_superuser=True)

    assert not staff_only.is_organiser
    assert organiser.is_organiser
    assert superuser.is_organiser


def test_group_member_without_staff_is_not_organiser(make_user):
    user = make_user("member")
    user.groups.add(Group.objects.get(name=ORGANISERS_GROUP))

    assert not user.is_organiser
