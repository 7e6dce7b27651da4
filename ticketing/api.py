"""API plumbing shared by every app: the exception handler for domain errors and a schema hook."""
import math

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ticketing.errors import DomainError


def exception_handler(exc, context):
    """Translate a `DomainError` into its status code, then fall back to DRF's own handling."""
    if isinstance(exc, DomainError):
        response = Response({"detail": str(exc.message), "code": exc.code}, status=exc.status_code)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            response["Retry-After"] = str(max(1, math.ceil(retry_after)))
        return response
    return drf_exception_handler(exc, context)


def drop_slashless_duplicates(endpoints, **kwargs):
    """Drop `/path` from the OpenAPI schema when `/path/` is routed too.

    Some endpoints accept requests with and without the trailing slash for older clients. Listing both would
    document each such operation twice, under colliding operation ids.
    """
    paths = {path for path, *_rest in endpoints}
    return [endpoint for endpoint in endpoints if endpoint[0].endswith("/") or f"{endpoint[0]}/" not in paths]
