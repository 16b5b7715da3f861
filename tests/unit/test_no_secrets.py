"""R_SEC_04: no secret lives in the repository; signing refuses to run without configured keys."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PATTERNS = {
    "AWS access key id": re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    "private key": re.compile(r"-----BEGIN (RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"),
    "AWS secret assignment": re.compile(r"aws_secret_access_key\s*[=:]\s*['\"]?[A-Za-z0-9/+]{40}"),
    "API key token": re.compile(r"\bk[0-9a-f]{16}\.[A-Za-z0-9_-]{40,}\b"),
}


def _tracked_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / name for name in listed.splitlines() if (ROOT / name).is_file()]


def test_R_SEC_04_no_secret_in_any_tracked_file():
    found = []
    for path in _tracked_files():
        if path.suffix in {".png", ".svg"} or "node_modules" in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        found += [f"{path.relative_to(ROOT)}: {name}" for name, pattern in PATTERNS.items() if pattern.search(text)]
    assert found == []


def test_R_SEC_04_signing_refuses_without_configured_keys(monkeypatch):
    from chalicelib.platform import signing
    from chalicelib.platform.config import signing_keys

    assert signing_keys("", "prod", None) == ()
    assert signing_keys("new, old", "prod", None) == ("new", "old")
    monkeypatch.setattr(signing, "settings", type("S", (), {"signing_keys": (), "signing_keys_parameter": None})())
    with pytest.raises(RuntimeError, match="LEERRIJK_SIGNING_KEYS"):
        signing.sign("purpose", "message")
