"""The EDU-DEX Data API document as the contract of both sides (R_DEX_01, R_DEX_04).

For an operation (path template, method) it names the schema its request body and each answer must
satisfy, read from the document's own `paths` (a response given as `$ref` to a shared one is followed),
and validates a value against it with jsonschema and format checks (`catalogue.edudex_schema`). The
directory client checks every answer with it before use; the local emulator checks every answer it
sends, and every request it receives.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from chalicelib.catalogue import edudex_schema

JSON = "application/json"


class NoSchemaError(LookupError):
    """The document declares no JSON body for this operation and status."""


def answer_errors(path: str, method: str, status: int, body: Any) -> dict[str, str]:
    """JSON pointer -> message for each part of `body` that the answer `status` of the operation may not hold."""
    return edudex_schema.errors_of(edudex_schema.validator_for(answer_schema(path, method, status)), body)


def request_errors(path: str, method: str, body: Any) -> dict[str, str]:
    return edudex_schema.errors_of(edudex_schema.validator_for(request_schema(path, method)), body)


def answer_schema(path: str, method: str, status: int) -> str:
    """The pointer of the answer's schema, e.g. for ("/programs/bulk", "post", 200)."""
    base = f"/paths/{_token(path)}/{method.lower()}/responses/{status}"
    response = _at(base)
    if "$ref" in response:
        base = str(response["$ref"]).removeprefix("#")
        response = _at(base)
    if JSON not in response.get("content", {}):
        raise NoSchemaError(f"{method} {path} {status}")
    return f"#{base}/content/{_token(JSON)}/schema"


def request_schema(path: str, method: str) -> str:
    base = f"/paths/{_token(path)}/{method.lower()}/requestBody"
    if JSON not in _at(base).get("content", {}):
        raise NoSchemaError(f"{method} {path} request")
    return f"#{base}/content/{_token(JSON)}/schema"


def _at(pointer: str) -> dict[str, Any]:
    node: Any = edudex_schema.document()
    for part in pointer.strip("/").split("/"):
        key = part.replace("%7B", "{").replace("%7D", "}").replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            raise NoSchemaError(pointer)
        node = node[key]
    if not isinstance(node, dict):
        raise NoSchemaError(pointer)
    return node


def _token(part: str) -> str:
    """A JSON-pointer token for a URI fragment: `~` and `/` escaped, braces percent-encoded."""
    return quote(part.replace("~", "~0").replace("/", "~1"), safe="~")
