"""Signing keys in production come from an SSM SecureString, read once per container, newest first
(R_SEC_04, R_SUP_01, R_OPS_01): the supplier's feed link works with them, and a rotation that puts
a new key in front keeps old links valid until the old key is removed."""

from __future__ import annotations

import dataclasses
from typing import Any

import boto3
import pytest

from chalicelib.platform import signing
from chalicelib.platform.config import settings
from tests.functional.test_feed import _feed_url, _get, _supplier_token, feed_world  # noqa: F401

PARAMETER = "/leer-rijk/prod/signing-keys"


@pytest.fixture
def keys_in_ssm(monkeypatch: pytest.MonkeyPatch) -> Any:
    ssm = boto3.client("ssm", region_name=settings.region)
    monkeypatch.setattr(signing, "settings", dataclasses.replace(
        settings, signing_keys=(), signing_keys_parameter=PARAMETER))
    signing.keys_from_parameter.cache_clear()

    def store(value: str) -> None:
        ssm.put_parameter(Name=PARAMETER, Value=value, Type="SecureString", Overwrite=True)
        signing.keys_from_parameter.cache_clear()  # a new container

    yield store
    signing.keys_from_parameter.cache_clear()


def test_R_SEC_04_R_SUP_01_feed_links_are_signed_with_the_keys_from_ssm(client, feed_world, keys_in_ssm):  # noqa: F811
    keys_in_ssm("key-2026")
    url = _feed_url(client, _supplier_token(client))
    assert _get(client, url).status_code == 200
    keys_in_ssm("key-2027,key-2026")  # rotation: the new key first, the old one still accepted
    assert _get(client, url).status_code == 200
    keys_in_ssm("key-2027")  # the old key removed: its links end
    assert _get(client, url).status_code == 403
    assert _get(client, _feed_url(client, _supplier_token(client))).status_code == 200


def test_R_SEC_04_the_parameter_is_read_once_per_container(client, feed_world, keys_in_ssm, monkeypatch):  # noqa: F811
    keys_in_ssm("key-2026")
    calls: list[str] = []
    original = boto3.client

    def counting_client(service: str, **kwargs: Any) -> Any:
        calls.append(service)
        return original(service, **kwargs)

    monkeypatch.setattr(boto3, "client", counting_client)
    for _ in range(3):
        _feed_url(client, _supplier_token(client))
    assert calls.count("ssm") == 1
