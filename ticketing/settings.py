"""Settings for the ticketing project.

Every value comes from the environment (or an optional `.env` file beside `manage.py`) through
django-environ. The README lists each variable with its default.
"""
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

# The development key only works with DEBUG on; production must set its own SECRET_KEY.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not DEBUG and SECRET_KEY in ("", DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or is the development key. Set SECRET_KEY in the environment, "
        "or set DEBUG=true for local development."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "anymail",
    "django_tasks_db",
    "accounts",
    "events",
    "payments",
    "tickets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Sends no header while SECURE_CSP is empty; the API docs views set their own policy.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ticketing.urls"
WSGI_APPLICATION = "ticketing.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailOrUsernameBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "events:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Serve static files from the app folders without collectstatic when DEBUG is on.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Mail goes through Django's mail API. MAIL_BACKEND takes any Django or Anymail backend, for
# example "anymail.backends.mailgun.EmailBackend" with its key in ANYMAIL_* variables.
MAILERS = {
    "default": {
        "BACKEND": env.str("MAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"),
    }
}
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in env.ENVIRON.items()
    if key.startswith("ANYMAIL_")
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Tickets <tickets@localhost>")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Background tasks. The immediate backend runs a task at once in the same process; production
# sets TASKS_BACKEND=django_tasks_db.DatabaseBackend and runs `python manage.py db_worker`.
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django.tasks.backends.immediate.ImmediateBackend")}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ticketing.api.exception_handler",
    # Trusted proxies in front of the app. With n > 0 throttles count the n-th address from the right of
    # X-Forwarded-For. With 0 they count REMOTE_ADDR alone, so a client cannot choose its own address.
    # accounts.ratelimit follows the same rule.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "DEFAULT_THROTTLE_RATES": {
        "login": env.str("THROTTLE_LOGIN", default="10/min"),
        "register": env.str("THROTTLE_REGISTER", default="5/min"),
        "payment": env.str("THROTTLE_PAYMENT", default="30/min"),
        "checkin": env.str("THROTTLE_CHECKIN", default="120/min"),
    },
}

if REST_FRAMEWORK["NUM_PROXIES"] < 0:
    raise ImproperlyConfigured("NUM_PROXIES must be 0 or more.")

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=5)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=1)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "CHECK_USER_IS_ACTIVE": True,
    "UPDATE_LAST_LOGIN": True,
    "TOKEN_REFRESH_SERIALIZER": "accounts.serializers.TokenRefreshSerializer",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Ticketing API",
    "DESCRIPTION": "Events, checkout with Paystack, tickets and check-in.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status" field with different choices, so name each set after its model.
    "ENUM_NAME_OVERRIDES": {
        "EventStatusEnum": "events.models.Event.Status",
        "TicketStatusEnum": "tickets.models.Ticket.Status",
        "OrderStatusEnum": "payments.models.Order.Status",
        "PaymentStatusEnum": "payments.models.Payment.Status",
    },
    "PREPROCESSING_HOOKS": ["ticketing.api.drop_slashless_duplicates"],
}

# Product options.
DEFAULT_CURRENCY = env.str("DEFAULT_CURRENCY", default="NGN")
DEFAULT_EVENT_TIME_ZONE = env.str("DEFAULT_EVENT_TIME_ZONE", default="Africa/Lagos")
ORDER_HOLD_MINUTES = env.int("ORDER_HOLD_MINUTES", default=15)
# Order emails: attempts in all before giving up, and the first retry delay (each later one is 4x).
TICKET_EMAIL_MAX_ATTEMPTS = env.int("TICKET_EMAIL_MAX_ATTEMPTS", default=4)
TICKET_EMAIL_RETRY_SECONDS = env.int("TICKET_EMAIL_RETRY_SECONDS", default=60)
if TICKET_EMAIL_MAX_ATTEMPTS < 1 or TICKET_EMAIL_RETRY_SECONDS < 1:
    raise ImproperlyConfigured("TICKET_EMAIL_MAX_ATTEMPTS and TICKET_EMAIL_RETRY_SECONDS must be 1 or more.")

# Paystack. With no secret key the sandbox gateway serves a local payment page instead.
PAYSTACK_SECRET_KEY = env.str("PAYSTACK_SECRET_KEY", default="")
# In the sandbox buyers approve their own payments without paying, so a production server (DEBUG off)
# runs it only when PAYMENTS_SANDBOX is set.
PAYMENTS_SANDBOX = env.bool("PAYMENTS_SANDBOX", default=False)
if not DEBUG and not PAYSTACK_SECRET_KEY and not PAYMENTS_SANDBOX:
    raise ImproperlyConfigured(
        "PAYSTACK_SECRET_KEY is missing, so payments would use the sandbox, which issues tickets without "
        "payment. Set PAYSTACK_SECRET_KEY, or set PAYMENTS_SANDBOX=true to run the sandbox on purpose "
        "(a demo), or set DEBUG=true for local development."
    )
PAYSTACK_PUBLIC_KEY = env.str("PAYSTACK_PUBLIC_KEY", default="")
PAYSTACK_BASE_URL = env.str("PAYSTACK_BASE_URL", default="https://api.paystack.co").rstrip("/")
PAYSTACK_CONNECT_TIMEOUT = env.float("PAYSTACK_CONNECT_TIMEOUT", default=3.05)
PAYSTACK_READ_TIMEOUT = env.float("PAYSTACK_READ_TIMEOUT", default=10.0)
PAYSTACK_CIRCUIT_FAILURE_THRESHOLD = env.int("PAYSTACK_CIRCUIT_FAILURE_THRESHOLD", default=5)
PAYSTACK_CIRCUIT_RECOVERY_SECONDS = env.int("PAYSTACK_CIRCUIT_RECOVERY_SECONDS", default=30)
if PAYSTACK_CIRCUIT_FAILURE_THRESHOLD < 1 or PAYSTACK_CIRCUIT_RECOVERY_SECONDS < 1:
    raise ImproperlyConfigured(
        "PAYSTACK_CIRCUIT_FAILURE_THRESHOLD and PAYSTACK_CIRCUIT_RECOVERY_SECONDS must be 1 or more."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
