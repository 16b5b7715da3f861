"""R_SEC_02: bad input becomes a 400 naming each field, in Dutch, never a 500."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pydantic import BaseModel, ConfigDict, Field, field_validator

from chalicelib.api.errors import status_of
from chalicelib.api.validation import parse_body, parse_query
from chalicelib.platform.errors import InvalidInputError


class Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=10)
    count: int = Field(ge=0)

    @field_validator("name")
    @classmethod
    def no_digits(cls, value: str) -> str:
        if any(ch.isdigit() for ch in value):
            raise ValueError("Gebruik geen cijfers in de naam.")
        return value


REF = "tests.unit.test_validation:Sample"


def _request(body: bytes | None = None, query: dict | None = None) -> SimpleNamespace:
    return SimpleNamespace(raw_body=body, query_params=query)


def test_R_SEC_02_valid_body_is_parsed():
    assert parse_body(_request(b'{"name": "Ada", "count": 2}'), REF) == Sample(name="Ada", count=2)


@pytest.mark.parametrize(("body", "field", "message"), [
    (b'{"count": 1}', "name", "Dit veld is verplicht."),
    (b'{"name": "", "count": 1}', "name", "Dit veld is te kort of leeg."),
    (b'{"name": "A1", "count": 1}', "name", "Gebruik geen cijfers in de naam."),
    (b'{"name": "A", "count": -1}', "count", "De waarde is te klein."),
    (b'{"name": "A", "count": "veel"}', "count", "Vul hier een geheel getal in."),
    (b'{"name": "A", "count": 1, "admin": true}', "admin", "Dit veld is onbekend."),
    (b'{"name": "A", ', "body", "Ongeldige JSON."),
    (b'[1, 2]', "body", "Stuur een JSON-object."),
    (b"\xff\xfe", "body", "Gebruik de tekenset UTF-8."),
    (b"\xff\xfe{\x00}\x00", "body", "Gebruik de tekenset UTF-8."),  # UTF-16 is not UTF-8
    (b"[" * 1000 + b"]" * 1000, "body", "Maximaal 32 niveaus van lijsten en objecten."),
])
def test_R_SEC_02_bad_body_names_the_field_in_dutch(body, field, message):
    with pytest.raises(InvalidInputError) as caught:
        parse_body(_request(body), REF)
    assert status_of(caught.value) == 400
    assert caught.value.envelope()["error"]["code"] == "validation_failed"
    assert caught.value.fields[field] == message


def test_R_SEC_02_query_is_validated_the_same_way():
    with pytest.raises(InvalidInputError) as caught:
        parse_query(_request(query={"name": "A"}), REF)
    assert caught.value.fields == {"count": "Dit veld is verplicht."}
