"""QR images of ticket tokens, rendered with segno and cached, since a ticket's token never changes."""
import base64
import io

import segno
from django.core.cache import cache

# A token does not change for the life of a ticket, so images may stay cached for a long time.
QR_CACHE_SECONDS = 60 * 60 * 24 * 30
PNG_SCALE = 8


def _make(token: str):
    # Level M survives some smudging on paper and screens; make_qr never picks a Micro QR,
    # which most phone scanners cannot read.
    return segno.make_qr(token, error="m")


def _cache_key(token: str, kind: str) -> str:
    # The token's signature is unique per ticket, and its tail keeps the code out of cache keys.
    return f"tickets:qr:v1:{kind}:{token[-43:]}"


def qr_svg(token: str) -> str:
    """Return an inline SVG element of the token's QR code, scalable and without an XML declaration."""
    key = _cache_key(token, "svg")
    svg = cache.get(key)
    if svg is None:
        buffer = io.BytesIO()
        _make(token).save(
            buffer, kind="svg", xmldecl=False, svgns=True, nl=False, scale=1, border=4,
            omitsize=True, svgclass="qr-code", lineclass=None, dark="#000", light="#fff",
        )
        svg = buffer.getvalue().decode("utf-8")
        cache.set(key, svg, QR_CACHE_SECONDS)
    return svg


def qr_png(token: str) -> bytes:
    """Return the token's QR code as PNG bytes, sized for print and email."""
    key = _cache_key(token, "png")
    png = cache.get(key)
    if png is None:
        buffer = io.BytesIO()
        _make(token).save(buffer, kind="png", scale=PNG_SCALE, border=4)
        png = buffer.getvalue()
        cache.set(key, png, QR_CACHE_SECONDS)
    return png


def data_uri(content: bytes | str, mime_type: str) -> str:
    """Return content as a base64 data URI."""
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return f"data:{mime_type};base64,{base64.b64encode(raw).decode('ascii')}"
