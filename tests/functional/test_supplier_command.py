"""R_CAT_06: the supplier command creates a supplier of either kind and prints a working key once."""

from __future__ import annotations

import json

import pytest
from pynamodb.exceptions import PutError

from chalicelib.models import ApiKey, Supplier
from chalicelib.suppliers import apikeys
from tools import supplier as command


def test_R_CAT_06_command_creates_supplier_with_terms_and_a_key(client, capsys):
    assert command.main(["create", "--id", "sup-new", "--name", "Nieuw", "--kind", "intern",
                         "--contact", "in@new.example", "--delivery", "feed", "--terms", "2026-01",
                         "--free-days", "10"]) == 0
    stored = Supplier.get("sup-new")
    assert (stored.kind, stored.delivery, stored.terms_version, stored.cancellation_free_days) == (
        "intern", "feed", "2026-01", 10)
    assert stored.terms_accepted_at is not None and stored.processing_agreement
    token = capsys.readouterr().out.strip().splitlines()[-1].strip()
    key_id, secret = token.split(".")
    assert secret not in json.dumps(ApiKey.get(key_id).attribute_values, default=str)
    response = client.http.delete("/supplier/programs/none", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404  # authenticated as the supplier; the program does not exist


def test_R_CAT_06_command_refuses_an_existing_supplier_and_revokes_keys(client, capsys):
    command.main(["create", "--id", "sup-x", "--name", "X", "--kind", "extern", "--contact", "x@x.example"])
    with pytest.raises(PutError):
        command.main(["create", "--id", "sup-x", "--name", "Y", "--kind", "extern", "--contact", "y@y.example"])
    assert Supplier.get("sup-x").name == "X"
    key = apikeys.keys_of("sup-x")[0]
    command.main(["revoke", "--key", key.key_id])
    assert ApiKey.get(key.key_id).revoked_at is not None
