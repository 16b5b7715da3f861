"""Characters XML 1.0 cannot carry (R_SUP_02, R_SEC_02): one definition for input, feed and mail.

Refused in every free-text input: C0 controls other than tab, LF and CR; lone surrogates; the
noncharacters U+FDD0-U+FDEF and U+xFFFE/U+xFFFF of every plane. Tab, LF and CR pass here: fields
that must be one line refuse them with their own rule. Pure: no I/O, no pydantic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_PLANE_ENDS = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}-{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef" + _PLANE_ENDS + "]"
)
MESSAGE = "Het veld {field} bevat een teken dat niet is toegestaan (een stuurteken of ongeldig Unicode-teken)."


def is_safe(value: str) -> bool:
    return UNSAFE.search(value) is None


def strip_unsafe(value: str) -> str:
    """The defensive strip at serialisation: drop what an XML document cannot carry."""
    return UNSAFE.sub("", value)


def unsafe_paths(data: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every string in a JSON value (at any depth) that holds an unsafe character."""
    if isinstance(data, str):
        if not is_safe(data):
            yield path
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from unsafe_paths(value, (*path, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from unsafe_paths(value, (*path, str(index)))


def field_messages(data: Any, pointer: bool = False) -> dict[str, str]:
    """{field: Dutch message naming it} for every unsafe string in `data`; empty when all is well.

    Fields are dotted (`first_name`, `departments.0.name`) or, with `pointer`, JSON pointers
    (`/programDescriptions/0/description`) as the EDU-DEX errors name them.
    """
    fields: dict[str, str] = {}
    for path in unsafe_paths(data):
        field = "/" + "/".join(path) if pointer else ".".join(path) or "body"
        fields[field] = MESSAGE.format(field=field)
    return fields
