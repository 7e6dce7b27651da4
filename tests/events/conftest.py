import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash with MD5 in these tests: PBKDF2's deliberate slowness only costs test time here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
