"""R_DEX_01, R_DEX_03: the pure rules of the directory sync and of where a connection may point."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.directory.connection_rules import base_url_problem
from chalicelib.directory.sync_rules import (
    TERMS,
    UNMAPPED,
    Admission,
    Change,
    Position,
    batches,
    changes_since,
    hold_reason,
    pending,
)

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def change(program: str, at: datetime, status: str = "active", client: str | None = None,
           supplier: str = "opleider-a") -> Change:
    return Change(status, supplier, program, client, at)


def test_R_DEX_01_pending_changes_are_after_the_cursor_oldest_first_one_per_program() -> None:
    cursor = Position(T0, "opleider-a/P-2")
    found = pending([
        change("P-3", T0 + timedelta(seconds=5)),
        change("P-1", T0),  # at the cursor's moment, before its key: applied already
        change("P-2", T0),  # the cursor itself
        change("P-4", T0),  # same moment, after the key: not applied yet
        change("P-3", T0 + timedelta(seconds=9), status="removed"),  # the newer change of P-3 wins
        change("P-0", T0 - timedelta(hours=1)),
    ], cursor)
    assert [(c.program_id, c.status) for c in found] == [("P-4", "active"), ("P-3", "removed")]


def test_R_DEX_01_the_client_variant_wins_over_the_public_one_at_the_same_moment() -> None:
    found = pending([change("P-1", T0, client="leer-rijk"), change("P-1", T0)], None)
    assert [c.client_id for c in found] == ["leer-rijk"]
    newer_public = pending([change("P-1", T0, client="leer-rijk"), change("P-1", T0 + timedelta(seconds=1))], None)
    assert [c.client_id for c in newer_public] == [None]


def test_R_DEX_01_changes_are_asked_from_just_before_the_cursor_or_the_catalog_is_read_afresh() -> None:
    assert changes_since(None, T0) is None
    assert changes_since(Position(T0 - timedelta(hours=1), "k"), T0) == T0 - timedelta(hours=1, seconds=1)
    assert changes_since(Position(T0 - timedelta(days=89, hours=1), "k"), T0) is None  # nearly out of the feed


def test_R_DEX_01_batches_keep_the_order() -> None:
    items = [change(f"P-{n}", T0 + timedelta(seconds=n)) for n in range(5)]
    assert [[c.program_id for c in b] for b in batches(items, 2)] == [["P-0", "P-1"], ["P-2", "P-3"], ["P-4"]]


def test_R_DEX_03_programs_are_held_for_an_unmapped_supplier_or_one_without_accepted_terms() -> None:
    assert hold_reason(Admission(None, False)) == UNMAPPED
    assert hold_reason(Admission("sup-a", False)) == TERMS
    assert hold_reason(Admission("sup-a", True)) is None


def test_R_DEX_01_a_connection_points_only_at_an_allowed_https_host() -> None:
    hosts = ("api.edudex.nl",)
    assert base_url_problem("https://api.edudex.nl/data/v1/", hosts, local_stage=False) is None
    for url in ("http://api.edudex.nl/data/v1/", "https://evil.example/", "https://api.edudex.nl:8443/",
                "https://user:pw@api.edudex.nl/", "https://api.edudex.nl/?x=1", "https://[::1", "http://127.0.0.1:9/"):
        assert base_url_problem(url, hosts, local_stage=False), url
    assert base_url_problem("http://127.0.0.1:9/", hosts, local_stage=True) is None  # the emulator, locally only
