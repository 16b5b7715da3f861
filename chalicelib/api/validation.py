"""Parse request bodies and queries with pydantic; failures become 400s naming each field.

Schemas are named "module:Class" and imported on first use, so pydantic is not part of the cold
start of routes that do not need it.
"""

from __future__ import annotations

import importlib
import json
from functools import cache
from typing import Any

from chalice.app import Request

from chalicelib.platform.errors import InvalidInputError

_DUTCH = {
    "missing": "Dit veld is verplicht.",
    "string_too_short": "Dit veld is te kort of leeg.",
    "string_too_long": "Dit veld is te lang.",
    "string_type": "Vul hier tekst in.",
    "int_parsing": "Vul hier een geheel getal in.",
    "int_type": "Vul hier een geheel getal in.",
    "bool_type": "Kies ja of nee.",
    "bool_parsing": "Kies ja of nee.",
    "literal_error": "Kies een van de toegestane waarden.",
    "enum": "Kies een van de toegestane waarden.",
    "date_from_datetime_parsing": "Vul een geldige datum in (JJJJ-MM-DD).",
    "date_parsing": "Vul een geldige datum in (JJJJ-MM-DD).",
    "date_type": "Vul een geldige datum in (JJJJ-MM-DD).",
    "extra_forbidden": "Dit veld is onbekend.",
    "greater_than_equal": "De waarde is te klein.",
    "less_than_equal": "De waarde is te groot.",
    "string_pattern_mismatch": "De invoer heeft niet de juiste vorm.",
    "value_error": "De invoer is niet geldig.",
    "model_type": "Stuur een JSON-object.",
    "list_type": "Stuur een lijst.",
}


@cache
def schema(ref: str) -> Any:
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


def parse_body(request: Request, ref: str) -> Any:
    try:
        raw = json.loads(request.raw_body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise InvalidInputError("De gegevens zijn geen geldige JSON.", fields={"body": "Ongeldige JSON."}) from None
    return _validate(ref, raw)


def parse_query(request: Request, ref: str) -> Any:
    return _validate(ref, dict(request.query_params or {}))


def _validate(ref: str, data: Any) -> Any:
    from pydantic import ValidationError

    try:
        return schema(ref).model_validate(data)
    except ValidationError as err:
        raise InvalidInputError(fields=field_errors(err)) from None


def field_errors(err: Any) -> dict[str, str]:
    fields: dict[str, str] = {}
    for item in err.errors(include_url=False, include_input=False):
        name = ".".join(str(part) for part in item["loc"]) or "body"
        message = item.get("ctx", {}).get("dutch") or _DUTCH.get(item["type"], "De invoer is niet geldig.")
        if item["type"] == "value_error" and str(item.get("msg", "")).startswith("Value error, "):
            message = item["msg"].removeprefix("Value error, ")
        fields.setdefault(name, message)
    return fields
