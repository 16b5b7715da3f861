"""R_ACC_10: TOTP per RFC 6238 (HMAC-SHA1, 30 s, 6 digits), ±1 step, each code once."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import pytest

from chalicelib.accounts import totp_rules as totp

RFC_SECRET = totp.encode_secret(b"12345678901234567890")  # the SHA-1 seed of RFC 6238 appendix B


@pytest.mark.parametrize(("unix", "code8"), [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
])
def test_R_ACC_10_rfc6238_test_vectors(unix, code8):
    at = datetime.fromtimestamp(unix, tz=UTC)
    assert totp.hotp(totp.decode_secret(RFC_SECRET), totp.step_at(at), digits=8) == code8
    assert totp.code_at(RFC_SECRET, at) == code8[-6:]


def test_R_ACC_10_rfc4226_hotp_vectors():
    expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
    assert [totp.hotp(b"12345678901234567890", i) for i in range(10)] == expected


def test_R_ACC_10_accepts_previous_current_and_next_step_only():
    now = datetime.fromtimestamp(1111111111, tz=UTC)
    step = totp.step_at(now)
    key = totp.decode_secret(RFC_SECRET)
    for offset in (-1, 0, 1):
        assert totp.matching_step(RFC_SECRET, totp.hotp(key, step + offset), now, None) == step + offset
    for offset in (-2, 2):
        assert totp.matching_step(RFC_SECRET, totp.hotp(key, step + offset), now, None) is None


def test_R_ACC_10_a_used_step_and_older_ones_never_match_again():
    now = datetime.fromtimestamp(1111111111, tz=UTC)
    step = totp.step_at(now)
    code = totp.code_at(RFC_SECRET, now)
    assert totp.matching_step(RFC_SECRET, code, now, last_step=step) is None
    older = totp.hotp(totp.decode_secret(RFC_SECRET), step - 1)
    assert totp.matching_step(RFC_SECRET, older, now, last_step=step) is None
    newer = totp.hotp(totp.decode_secret(RFC_SECRET), step + 1)
    assert totp.matching_step(RFC_SECRET, newer, now, last_step=step) == step + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 456"])
def test_R_ACC_10_malformed_codes_never_match(code):
    assert totp.matching_step(RFC_SECRET, code, datetime.now(UTC), None) is None


def test_R_ACC_10_provisioning_uri_for_authenticator_apps():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", "a.b@minbzk.nl")
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert parsed.path == "/Leer-Rijk:a.b@minbzk.nl"
    query = parse_qs(parsed.query)
    assert query == {"secret": ["JBSWY3DPEHPK3PXP"], "issuer": ["Leer-Rijk"], "algorithm": ["SHA1"],
                     "digits": ["6"], "period": ["30"]}


def test_R_ACC_10_secret_round_trips_base32_without_padding():
    raw = bytes(range(20))
    encoded = totp.encode_secret(raw)
    assert "=" not in encoded and len(encoded) == 32
    assert totp.decode_secret(encoded) == raw
    assert totp.decode_secret(encoded.lower()) == raw
