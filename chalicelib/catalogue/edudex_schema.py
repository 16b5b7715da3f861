"""Validate EDU-DEX `program_in` documents against the whole EDU-DEX Data API document (R_CAT_05), and give
a validator for any schema of that document (the directory client's answers, R_DEX_01).

jsonschema is imported on first use: only the supplier import path and the directory sync pay for it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).parent.parent / "data" / "edudex-data-api-1.0.2.openapi.json"
DOCUMENT_URI = "urn:edudex-data-api:1.0.2"
PROGRAM_IN = f"{DOCUMENT_URI}#/components/schemas/imports/properties/program_in"
MAX_ERRORS = 50


@cache
def document() -> dict[str, Any]:
    """The Data API document itself (read-only: shared by every caller)."""
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


@cache
def validator_for(pointer: str) -> Any:
    """A jsonschema validator, with format checks, of the schema at `pointer` ("#/components/...") of the
    document; every `$ref` inside resolves against the whole document."""
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resource = Resource.from_contents(document(), default_specification=DRAFT202012)
    registry = Registry().with_resource(DOCUMENT_URI, resource)
    return Draft202012Validator({"$ref": f"{DOCUMENT_URI}{pointer}"}, registry=registry,
                                format_checker=FormatChecker())


def _validator() -> Any:
    return validator_for(PROGRAM_IN.removeprefix(DOCUMENT_URI))


def schema_errors(program: Any) -> dict[str, str]:
    """JSON pointer of each offending value -> message (English, from the schema validator)."""
    return errors_of(_validator(), program)


def errors_of(validator: Any, value: Any) -> dict[str, str]:
    """JSON pointer of each offending part of `value` -> message, at most MAX_ERRORS."""
    errors: dict[str, str] = {}
    for error in sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path))):
        pointer = "".join(f"/{_escape(part)}" for part in error.absolute_path) or "/"
        errors.setdefault(pointer, _message(error))
        if len(errors) >= MAX_ERRORS:
            break
    return errors


def _escape(part: Any) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _message(error: Any) -> str:
    text = str(error.message)
    return text if len(text) <= 300 else text[:297] + "..."
