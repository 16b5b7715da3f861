"""Settings read from the environment once, at import (PynamoDB reads table names at import too).

The stage is never guessed (R_SEC_04): without `LEERRIJK_STAGE` the app refuses to start, because
a deployed function that lost its stage would otherwise sign approval links, feed URLs and cursors
with the public development key. Only the stage `local` (the local stack, the tests, the bench, which
set it explicitly) may use that key, never on Lambda and never when a key parameter is configured,
and it says so (a warning in the log) when it first signs with it (signing.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

LOCAL_STAGE = "local"
DEVELOPMENT_SIGNING_KEY = "local-development-signing-key-not-secret"
DEVELOPMENT_KEY_NOTICE = (
    "Leer-Rijk: stage 'local' (LEERRIJK_STAGE=local): links and cursors are signed with the public "
    "development key. Never run real data this way; a deployed stage names its keys "
    "(LEERRIJK_SIGNING_KEYS_PARAMETER)."
)


class StageError(RuntimeError):
    """The stage is missing or cannot be this one: the app does not start."""


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
    # hosts an EDU-DEX directory connection may point at: the bearer token goes there (R_DEX_01)
    directory_hosts: tuple[str, ...] = ("api.edudex.nl",)

    @property
    def secure_cookies(self) -> bool:
        """Decided by stage configuration, never by the Host header (R_ACC_04)."""
        return self.stage != LOCAL_STAGE

    @property
    def uses_development_key(self) -> bool:
        return DEVELOPMENT_SIGNING_KEY in self.signing_keys


def load(env: Mapping[str, str]) -> Settings:
    stage = stage_of(env)
    parameter = env.get("LEERRIJK_SIGNING_KEYS_PARAMETER") or None
    return Settings(
        stage=stage,
        region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-west-1",
        table_prefix=env.get("LEERRIJK_TABLE_PREFIX", "leerrijk-local-"),
        mail_from=env.get("LEERRIJK_MAIL_FROM", "noreply@leer-rijk.example"),
        cfb_contact=env.get("LEERRIJK_CFB_CONTACT", "contact.ris@rijksoverheid.nl"),
        portal_origin=env.get("LEERRIJK_PORTAL_ORIGIN", "http://127.0.0.1:8000"),
        privacy_statement_version=env.get("LEERRIJK_PRIVACY_VERSION", "2026-11"),
        signing_keys=signing_keys(env.get("LEERRIJK_SIGNING_KEYS", ""), stage, parameter),
        signing_keys_parameter=parameter,
        directory_hosts=tuple(h.strip().lower() for h in env.get("LEERRIJK_DIRECTORY_HOSTS", "api.edudex.nl").split(",")
                              if h.strip()),
    )


def stage_of(env: Mapping[str, str]) -> str:
    stage = env.get("LEERRIJK_STAGE", "").strip()
    if not stage:
        raise StageError("LEERRIJK_STAGE is not set. A deployed stage must be named (e.g. prod, set by "
                         "`make deploy`); the local stack, the tests and the bench set LEERRIJK_STAGE=local.")
    if stage == LOCAL_STAGE and env.get("AWS_LAMBDA_FUNCTION_NAME"):
        raise StageError("LEERRIJK_STAGE=local on AWS Lambda: a deployed function must name its own stage.")
    return stage


def signing_keys(raw: str, stage: str, parameter: str | None) -> tuple[str, ...]:
    """Comma-separated, newest first (rotation). A deployed stage names an SSM parameter instead
    (signing.py reads it) and gets no key here; only the local stage without one gets the public
    development key."""
    keys = tuple(k.strip() for k in raw.split(",") if k.strip())
    if keys or stage != LOCAL_STAGE or parameter:
        return keys
    return (DEVELOPMENT_SIGNING_KEY,)


settings = load(os.environ)
