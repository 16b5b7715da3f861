"""TOTP (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 30-second steps, 6 digits, stdlib only (R_ACC_10)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from datetime import datetime
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1  # accept the previous and the next step as well (clock drift)
SECRET_BYTES = 20  # 160 bits, the HMAC-SHA1 block recommendation of RFC 4226
ISSUER = "Leer-Rijk"


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def step_at(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def code_at(secret_b32: str, now: datetime) -> str:
    return hotp(decode_secret(secret_b32), step_at(now))


def matching_step(secret_b32: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The step the code belongs to (±WINDOW), or None. A step at or before `last_step` never matches,
    so each code works once and an older code cannot follow a newer one."""
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = decode_secret(secret_b32)
    current = step_at(now)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def encode_secret(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def decode_secret(secret_b32: str) -> bytes:
    padded = secret_b32.upper() + "=" * (-len(secret_b32) % 8)
    return base64.b32decode(padded)


def provisioning_uri(secret_b32: str, account_label: str, issuer: str = ISSUER) -> str:
    """The otpauth:// URI an authenticator app reads from a QR code."""
    label = quote(f"{issuer}:{account_label}", safe=":@")
    query = urlencode({
        "secret": secret_b32, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS,
    })
    return f"otpauth://totp/{label}?{query}"
