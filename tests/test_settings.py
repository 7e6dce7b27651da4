"""Settings read from the environment, checked in a fresh process as `manage.py` would start."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ticketing.settings import DEVELOPMENT_SECRET_KEY

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_KEY = "a-production-key-with-enough-length-and-randomness-0123456789abcdef"
PAYSTACK_KEY = "sk_live_settings0123456789abcdef"
# Variables a developer's shell may set that would change whether production settings load.
ALWAYS_DROPPED = ("PAYSTACK_SECRET_KEY", "PAYMENTS_SANDBOX", "NUM_PROXIES")


def child_env(variables, *, drop=("DEBUG", "SECRET_KEY")):
    env = {key: value for key, value in os.environ.items() if key not in drop and key not in ALWAYS_DROPPED}
    env.update(variables)
    return env


def run_manage(*args, **variables):
    """Run manage.py with the current environment less DEBUG and SECRET_KEY, plus `variables`."""
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=child_env(variables),
        capture_output=True, text=True, timeout=120,
    )


def read_setting(expression, *, drop=("DEBUG", "SECRET_KEY"), **variables):
    """Return repr(expression) evaluated over the settings that a fresh process loads."""
    code = f"import django; django.setup(); from django.conf import settings; print(repr(({expression})))"
    variables["DJANGO_SETTINGS_MODULE"] = "ticketing.settings"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=child_env(variables, drop=drop),
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def env_file_sets(name):
    env_file = BASE_DIR / ".env"
    return env_file.exists() and any(line.startswith(f"{name}=") for line in env_file.read_text().splitlines())


@pytest.mark.skipif(env_file_sets("SECRET_KEY"), reason=".env beside manage.py sets SECRET_KEY")
def test_production_refuses_missing_key():
    result = run_manage("check", DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY is missing or is the development key" in result.stderr


def test_production_refuses_empty_key():
    result = run_manage("check", DEBUG="false", SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY is missing" in result.stderr


def test_production_refuses_development_key():
    result = run_manage("check", DEBUG="false", SECRET_KEY=DEVELOPMENT_SECRET_KEY)

    assert result.returncode != 0
    assert "development key" in result.stderr


def test_debug_defaults_to_off():
    result = run_manage("check", SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_real_key():
    result = run_manage(
        "check", DEBUG="false", SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS="tickets.example.com",
        PAYSTACK_SECRET_KEY=PAYSTACK_KEY,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.skipif(env_file_sets("PAYSTACK_SECRET_KEY"), reason=".env beside manage.py sets PAYSTACK_SECRET_KEY")
def test_production_refuses_missing_paystack_key():
    result = run_manage("check", DEBUG="false", SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS="tickets.example.com")

    assert result.returncode != 0
    assert "PAYSTACK_SECRET_KEY is missing" in result.stderr
    assert "PAYMENTS_SANDBOX=true" in result.stderr


def test_production_refuses_sandbox_false():
    result = run_manage(
        "check", DEBUG="false", SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS="tickets.example.com",
        PAYSTACK_SECRET_KEY="", PAYMENTS_SANDBOX="false",
    )

    assert result.returncode != 0
    assert "PAYSTACK_SECRET_KEY is missing" in result.stderr


def test_production_sandbox_opt_in():
    result = run_manage(
        "check", DEBUG="false", SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS="tickets.example.com",
        PAYSTACK_SECRET_KEY="", PAYMENTS_SANDBOX="true",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_key_allowed_with_debug():
    result = run_manage("check", DEBUG="true")

    assert result.returncode == 0, result.stderr


def test_production_security_defaults():
    expression = "settings.DEBUG, settings.ALLOWED_HOSTS, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE"

    output = read_setting(expression, DEBUG="false", SECRET_KEY=PRODUCTION_KEY, PAYSTACK_SECRET_KEY=PAYSTACK_KEY)

    assert output == "(False, [], True, True)"


def test_allowed_hosts_from_environment():
    output = read_setting(
        "settings.ALLOWED_HOSTS", DEBUG="false", SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS="a.example.com,b.example.com",
        PAYSTACK_SECRET_KEY=PAYSTACK_KEY,
    )

    assert output == "['a.example.com', 'b.example.com']"


def test_sqlite_is_default_database():
    output = read_setting(
        "settings.DATABASES['default']['ENGINE']", drop=("DEBUG", "SECRET_KEY", "DATABASE_URL"), DEBUG="true",
    )

    assert output == "'django.db.backends.sqlite3'"


def test_database_url_selects_postgresql():
    output = read_setting(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']",
        DEBUG="true", DATABASE_URL="postgres://postgres@127.0.0.1:5432/tickets_example",
    )

    assert output == "('django.db.backends.postgresql', 'tickets_example')"


def test_invalid_circuit_threshold_refused():
    result = run_manage("check", DEBUG="true", PAYSTACK_CIRCUIT_FAILURE_THRESHOLD="0")

    assert result.returncode != 0
    assert "PAYSTACK_CIRCUIT_FAILURE_THRESHOLD" in result.stderr


def test_negative_num_proxies_refused():
    result = run_manage("check", DEBUG="true", NUM_PROXIES="-1")

    assert result.returncode != 0
    assert "NUM_PROXIES must be 0 or more" in result.stderr
