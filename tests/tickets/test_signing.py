"""The signed token format, without the database."""
import secrets
import string

import pytest

from tickets import signing

ALPHABET = string.ascii_letters + string.digits + "-_."


@pytest.fixture
def key_pair():
    return signing.generate_key_pair()


@pytest.fixture
def token(key_pair):
    return signing.sign_token(event_id=42, code=secrets.token_urlsafe(20), private_key=key_pair[0])


def test_token_round_trip(key_pair):
    code = secrets.token_urlsafe(20)
    token = signing.sign_token(event_id=7, code=code, private_key=key_pair[0])
    claims = signing.verify_token(token, public_key=key_pair[1])
    assert claims == signing.TokenClaims(event_id=7, code=code)


def test_token_is_compact_ascii(token):
    assert token.isascii()
    assert token.startswith("TK1.42.")
    assert len(token) <= 130


def test_every_changed_character_is_rejected(token, key_pair):
    for position, original in enumerate(token):
        for replacement in ALPHABET:
            if replacement == original:
                continue
            altered = token[:position] + replacement + token[position + 1:]
            with pytest.raises(signing.InvalidToken):
                signing.verify_token(altered, public_key=key_pair[1])


def test_non_canonical_signature_rejected(token, key_pair):
    # The last base64 character carries 2 signature bits and 4 unused bits. Flipping an unused bit
    # decodes to the same bytes, so only the canonical-form check catches it.
    last = token[-1]
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
    twin = alphabet[alphabet.index(last) ^ 1]
    altered = token[:-1] + twin
    assert signing.b64url_decode(altered.rpartition(".")[2]) == signing.b64url_decode(token.rpartition(".")[2])
    with pytest.raises(signing.InvalidToken):
        signing.verify_token(altered, public_key=key_pair[1])


def test_other_key_rejected(token):
    _other_private, other_public = signing.generate_key_pair()
    with pytest.raises(signing.InvalidToken):
        signing.verify_token(token, public_key=other_public)


@pytest.mark.parametrize("text", [
    "",
    "TK1",
    "TK1.42.abc",
    "TK2.42.AAAAAAAAAAAAAAAAAAAAAAAAAAA." + "A" * 86,
    "TK1.042.AAAAAAAAAAAAAAAAAAAAAAAAAAA." + "A" * 86,
    "TK1.42.AAAAAAAAAAAAAAAAAAAAAAAAAAA." + "A" * 85,
    "TK1.42.AAAAAAAAAAAAAAAAAAAAAAAAAAA." + "A" * 87,
    "TK1.42.AAAAAAAAAAAA AAAAAAAAAAAAAA." + "A" * 86,
    "TK1.42.AAAAAAAAAAAAAAAAAAAAAAAAAAä." + "A" * 86,
    "x" * 10_000,
])
def test_malformed_token_rejected(text, key_pair):
    with pytest.raises(signing.InvalidToken):
        signing.verify_token(text, public_key=key_pair[1])


@pytest.mark.parametrize("event_id", ["9223372036854775808", "9999999999999999999"])
def test_parse_rejects_event_id_beyond_bigint(event_id):
    with pytest.raises(signing.InvalidToken):
        signing.parse_token(f"TK1.{event_id}.AAAAAAAAAAAAAAAAAAAAAAAAAAA." + "A" * 86)


def test_parse_accepts_max_event_id():
    claims = signing.parse_token("TK1.9223372036854775807.AAAAAAAAAAAAAAAAAAAAAAAAAAA." + "A" * 86)
    assert claims.event_id == 2**63 - 1
