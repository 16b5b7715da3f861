"""Parse request bodies and queries with pydantic; failures become 400s naming each field.

Schemas are named "module:Class" and imported on first use, so pydantic is not part of the cold
start of routes that do not need it.
"""

from __future__ import annotations

import importlib
import json
import re
from functools import cache
from typing import Any

from chalice.app import Request

from chalicelib.platform import xmltext
from chalicelib.platform.errors import InvalidInputError

MAX_DEPTH = 32  # arrays and objects nested deeper are refused before parsing (R_SEC_02)
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")

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


def load_json(raw: bytes | str | None, field: str = "body") -> Any:
    """Parse a request body: UTF-8 only, at most MAX_DEPTH levels deep; anything else is a 400 naming `field`.

    The depth is measured on the bytes (strings removed) before the parser recurses, so a body of
    thousands of nested arrays never reaches `json.loads`.
    """
    body = (raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw) or b"null"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError("Stuur de gegevens als JSON in UTF-8.",
                                fields={field: "Gebruik de tekenset UTF-8."}) from None
    if nesting_depth(body) > MAX_DEPTH:
        raise InvalidInputError("De gegevens zijn te diep genest.",
                                fields={field: f"Maximaal {MAX_DEPTH} niveaus van lijsten en objecten."})
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise InvalidInputError("De gegevens zijn geen geldige JSON.", fields={field: "Ongeldige JSON."}) from None


def nesting_depth(body: bytes) -> int:
    """The deepest nesting of [ and { outside strings (an upper bound for malformed input)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b"", body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest


def parse_body(request: Request, ref: str) -> Any:
    return _validate(ref, load_json(request.raw_body))


def parse_query(request: Request, ref: str) -> Any:
    return _validate(ref, dict(request.query_params or {}))


def _validate(ref: str, data: Any) -> Any:
    """Refuse characters XML 1.0 cannot carry in any string (one check for every model), then validate."""
    from pydantic import ValidationError

    unsafe = xmltext.field_messages(data)
    if unsafe:
        raise InvalidInputError(fields=unsafe)
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
