"""Signed QR tokens: the ticket code and event id with an Ed25519 signature by the event's key.

A token is ASCII and looks like ``TK1.42.<code>.<signature>``: the format version, the event id,
the ticket code (URL-safe base64 text) and the unpadded base64url Ed25519 signature over every
byte before the last dot. A scanner holding only the event's public key can verify a token
offline; the server still looks up the ticket and its status. Tokens carry no personal data.
"""
import base64
import binascii
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

TOKEN_VERSION = "TK1"
SIGNATURE_BYTES = 64
# Longer input is rejected before any parsing; a real token is about 125 characters.
MAX_TOKEN_LENGTH = 200
# Event ids are bigint primary keys, so a larger id in a token is forged. SQLite cannot even look it up.
MAX_EVENT_ID = 2**63 - 1

_TOKEN_RE = re.compile(r"(?P<version>TK1)\.(?P<event_id>[1-9][0-9]{0,18})\.(?P<code>[A-Za-z0-9_-]{16,64})\.(?P<signature>[A-Za-z0-9_-]{86})")


class InvalidToken(ValueError):
    """The text is not a well-formed token, or its signature does not verify."""


@dataclass(frozen=True)
class TokenClaims:
    event_id: int
    code: str


def generate_key_pair() -> tuple[bytes, bytes]:
    """Return a new Ed25519 key pair as raw (private, public) bytes of 32 bytes each."""
    private_key = Ed25519PrivateKey.generate()
    private_bytes = private_key.private_bytes_raw()
    public_bytes = private_key.public_key().public_bytes_raw()
    return private_bytes, public_bytes


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def sign_token(*, event_id: int, code: str, private_key: bytes) -> str:
    """Return the QR token of a ticket code, signed with the event's raw private key."""
    signed_part = f"{TOKEN_VERSION}.{event_id}.{code}"
    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(signed_part.encode("ascii"))
    return f"{signed_part}.{b64url_encode(signature)}"


def parse_token(token: str) -> TokenClaims:
    """Split a token into its claims without checking the signature; raise InvalidToken if malformed."""
    match = _TOKEN_RE.fullmatch(token) if len(token) <= MAX_TOKEN_LENGTH else None
    if match is None:
        raise InvalidToken("The text is not a ticket token.")
    event_id = int(match["event_id"])
    if event_id > MAX_EVENT_ID:
        raise InvalidToken("The event id is out of range.")
    return TokenClaims(event_id=event_id, code=match["code"])


def verify_token(token: str, *, public_key: bytes) -> TokenClaims:
    """Return the claims of a token whose signature verifies with the raw public key; raise InvalidToken otherwise."""
    claims = parse_token(token)
    signed_part, _, signature_text = token.rpartition(".")
    try:
        signature = b64url_decode(signature_text)
    except (binascii.Error, ValueError):
        raise InvalidToken("The signature is not valid base64url.") from None
    # 86 base64 characters carry 516 bits for 512 bits of signature. Re-encoding rejects a last
    # character that differs only in the 4 unused bits, so every changed character fails.
    if len(signature) != SIGNATURE_BYTES or b64url_encode(signature) != signature_text:
        raise InvalidToken("The signature is not in canonical form.")
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, signed_part.encode("ascii"))
    except InvalidSignature:
        raise InvalidToken("The signature does not match.") from None
    return claims
