"""A fixed-window rate limit in the cache, for the login, registration and checkout pages.

The API uses DRF's scoped throttles with the same rates (`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`).
"""
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """Parse a DRF-style rate such as "10/min" into (number of requests, seconds)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


def client_ip(request) -> str:
    """Return the client address as DRF's throttles see it, so pages and API count the same client.

    With `NUM_PROXIES` at 0 that is REMOTE_ADDR, and X-Forwarded-For is ignored. With n > 0 it is the
    n-th address from the right of X-Forwarded-For, the one the outermost trusted proxy saw.
    """
    return BaseThrottle().get_ident(request) or "unknown"


def retry_after(request, scope: str, *, key: str | None = None) -> int | None:
    """Count one request of `scope` and return the seconds to wait when it is over the limit, else None.

    Requests are counted per client address, or per `key` when given (such as "user:<id>" for pages
    that need a login).
    """
    limit, period = parse_rate(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope])
    window = int(time.time() // period)
    key = f"ratelimit:{scope}:{key or client_ip(request)}:{window}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:
        # The key expired between add and incr: this request starts a new window.
        cache.set(key, 1, timeout=period)
        count = 1
    if count > limit:
        return max(1, (window + 1) * period - int(time.time()))
    return None
