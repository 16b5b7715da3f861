"""Settings read from the environment once, at import (PynamoDB reads table names at import too)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    table_prefix: str
    mail_from: str
    cfb_contact: str
    portal_origin: str
    privacy_statement_version: str
    signing_keys: tuple[str, ...]
    signing_keys_parameter: str | None = None  # SSM SecureString name (production)

    @property
    def secure_cookies(self) -> bool:
        """Decided by stage configuration, never by the Host header (R_ACC_04)."""
        return self.stage != "local"


def _load() -> Settings:
    env = os.environ
    return Settings(
        stage=env.get("LEERRIJK_STAGE", "local"),
        region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-west-1",
        table_prefix=env.get("LEERRIJK_TABLE_PREFIX", "leerrijk-local-"),
        mail_from=env.get("LEERRIJK_MAIL_FROM", "noreply@leer-rijk.example"),
        cfb_contact=env.get("LEERRIJK_CFB_CONTACT", "contact.ris@rijksoverheid.nl"),
        portal_origin=env.get("LEERRIJK_PORTAL_ORIGIN", "http://127.0.0.1:8000"),
        privacy_statement_version=env.get("LEERRIJK_PRIVACY_VERSION", "2026-11"),
        signing_keys=_signing_keys(env.get("LEERRIJK_SIGNING_KEYS", ""), env.get("LEERRIJK_STAGE", "local")),
        signing_keys_parameter=env.get("LEERRIJK_SIGNING_KEYS_PARAMETER") or None,
    )


def _signing_keys(raw: str, stage: str) -> tuple[str, ...]:
    """Comma-separated, newest first (rotation). Production names an SSM parameter instead (signing.py)."""
    keys = tuple(k.strip() for k in raw.split(",") if k.strip())
    if keys:
        return keys
    if stage in ("local", "test"):
        return ("local-development-signing-key-not-secret",)
    return ()  # signing refuses to work without keys; see chalicelib/signing.py


settings = _load()
