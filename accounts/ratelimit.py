"""A fixed-window rate limit in the cache, for the login and registration pages.

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


def retry_after(request, scope: str) -> int | None:
    """Count one request of `scope` for this client; return seconds to wait when over the limit."""
    limit, period = parse_rate(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope])
    window = int(time.time() // period)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
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
