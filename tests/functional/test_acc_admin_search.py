"""Account search for admins by any name part or the start of an address (R_ACC_06, issue 16 item 4):
"Vries", "de vries", "eva", "eva.dev" all find Eva de Vries, through the route, in the admin's own
organisation only, each account once per search, never by a Scan; the search keys follow every change
of name, address and organisation, and go with the account."""

from __future__ import annotations

from typing import Any

import pytest

from bench.route_calls import Calls
from chalicelib.accounts import search
from chalicelib.accounts import use_cases as accounts
from chalicelib.models import Account, AccountSearchKey, Organisation
from tests.functional.test_acc_support import (
    DOMAIN_A,
    DOMAIN_B,
    ORG_A,
    ORG_B,
    call,
    last_mail_to,
    seed_account,
    seed_orgs,
    signup_body,
    start_session,
    token_in,
)
from tools import accounts as accounts_tool

PEOPLE_A = [
    ("acc-eva", "Eva", "de Vries", "eva.devries"),
    ("acc-vera", "Vera", "Vriesema", "v.vriesema"),
    ("acc-evert", "Evert", "van der Berg", "e.vdberg"),
    ("acc-anne", "Anne-Marie", "Jansen-de Groot", "am.jansen"),
    ("acc-emile", "Émile", "Öztürk", "emile.ozturk"),
    ("acc-dirk", "Dirk", "Bakker", "dirk.bakker"),
]


@pytest.fixture
def world(aws):
    seed_orgs()
    for account_id, first, last, local in PEOPLE_A:
        seed_account(account_id, f"{local}@{DOMAIN_A}", first_name=first, last_name=last)
    seed_account("acc-b-eva", f"eva.devries@{DOMAIN_B}", org_id=ORG_B, first_name="Eva", last_name="de Vries")
    seed_account("acc-la", f"lotte@{DOMAIN_A}", roles=[("local_admin", ORG_A, None)], first_name="Lotte",
                 last_name="Zijlstra")
    seed_account("acc-cfb", f"vincent.cfb@{DOMAIN_A}", roles=[("cfb", None, None)], first_name="Vincent",
                 last_name="Vries")
    return {"la": start_session("acc-la", level=2), "cfb": start_session("acc-cfb", level=2)}


def _search(client: Any, token: str, q: str, org: str | None = None, **extra: Any) -> Any:
    from urllib.parse import urlencode

    params = {"q": q, **({"org_id": org} if org else {}), **extra}
    response = call(client, "GET", f"/admin/accounts?{urlencode(params)}", token)
    assert response.status_code == 200, response.body
    return response.json_body


def _ids(body: dict[str, Any]) -> list[str]:
    return [a["account_id"] for a in body["accounts"]]


@pytest.mark.parametrize(("q", "expected"), [
    # the surname without its prefix; each word is a prefix (Vriesema); Vincent Vries holds CFB: listed
    # read-only (R_ACC_07)
    ("Vries", ["acc-eva", "acc-cfb", "acc-vera"]),
    ("vries", ["acc-eva", "acc-cfb", "acc-vera"]),
    ("de vries", ["acc-eva"]),
    ("De Vries", ["acc-eva"]),
    ("devries", ["acc-eva"]),  # the surname written as one word, as in many addresses
    ("eva", ["acc-eva"]),  # the first name
    ("Eva de Vries", ["acc-eva"]),
    ("vries eva", ["acc-eva"]),  # any order
    ("eva.dev", ["acc-eva"]),  # the start of the address
    ("eva.devries@", ["acc-eva"]),  # an address typed up to its @
    ("vriesema", ["acc-vera"]),
    ("berg", ["acc-evert"]),
    ("van der berg", ["acc-evert"]),
    ("vanderberg", ["acc-evert"]),
    ("groot", ["acc-anne"]),
    ("Jansen-de Groot", ["acc-anne"]),
    ("marie", ["acc-anne"]),
    ("ozturk", ["acc-emile"]),  # accents fold both ways
    ("Öztürk", ["acc-emile"]),
    ("emile", ["acc-emile"]),
    ("bakker d", ["acc-dirk"]),
    ("bakker e", []),  # every word needs a name part of its own
    ("eva vera", []),
    ("zz", []),
    ("!!!", []),
])
def test_R_ACC_06_R_UI_03_local_admin_finds_an_account_by_any_name_part_or_address_start(client, world, q,
                                                                                          expected):
    assert _ids(_search(client, world["la"], q)) == expected


def test_R_ACC_06_a_search_stays_in_the_admins_organisation_and_out_of_reach_of_higher_roles(client, world):
    assert _ids(_search(client, world["la"], "eva")) == ["acc-eva"]  # not Eva de Vries of organisation B
    assert _ids(_search(client, world["cfb"], "eva", org=ORG_B)) == ["acc-b-eva"]
    # R_ACC_07: a CFB account of the organisation is listed read-only, managed by CFB, and out of reach
    [vincent] = _search(client, world["la"], "vincent")["accounts"]
    assert (vincent["account_id"], vincent["manageable"], vincent["managed_by"]) == ("acc-cfb", False, "cfb")
    assert "roles" not in vincent and "last_used_on" not in vincent
    assert call(client, "GET", "/admin/accounts/acc-cfb", world["la"]).status_code == 404
    assert _search(client, world["cfb"], "vincent", org=ORG_A)["accounts"][0]["manageable"] is True
    refused = call(client, "GET", f"/admin/accounts?q=eva&org_id={ORG_B}", world["la"])
    assert refused.status_code == 404


def test_R_ACC_06_every_account_appears_once_across_the_pages_of_a_search(client, world):
    """"v" starts several terms of one account (Vera, Vriesema, v.vriesema): listed once, at its first."""
    for i in range(7):
        seed_account(f"acc-v{i}", f"v{i}.vos@{DOMAIN_A}", first_name=f"Vivian{i}", last_name="Vos")
    seen: list[str] = []
    body = _search(client, world["la"], "v", limit=2)
    while True:
        assert 1 <= len(body["accounts"]) <= 2  # never an empty page behind "Volgende pagina"
        seen += _ids(body)
        if not body["next_cursor"]:
            break
        body = _search(client, world["la"], "v", limit=2, cursor=body["next_cursor"])
    expected = ["acc-eva", "acc-vera", "acc-evert", "acc-cfb"] + [f"acc-v{i}" for i in range(7)]
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))


def test_R_ACC_06_a_search_cursor_only_continues_its_own_search(client, world):
    cursor = _search(client, world["la"], "v", limit=1)["next_cursor"]
    assert cursor
    for q in ("eva", "vr"):  # another search: refused, not a page of something else
        response = call(client, "GET", f"/admin/accounts?q={q}&cursor={cursor}", world["la"])
        assert response.status_code == 400 and "cursor" in response.json_body["error"]["fields"]
    other = call(client, "GET", f"/admin/accounts?q=v&org_id={ORG_B}&cursor={cursor}", world["cfb"])
    assert other.status_code == 400 and "cursor" in other.json_body["error"]["fields"]


def test_R_ACC_06_a_search_reads_the_search_keys_by_prefix_never_a_scan(client, world):
    calls = Calls()
    call(client, "GET", "/admin/accounts?q=vries", world["la"])  # the day's first request also notes "last used"
    small_db, _, small_ops, response = calls.measure(
        lambda: call(client, "GET", "/admin/accounts?q=vries", world["la"]))
    assert response.status_code == 200
    for i in range(60):  # a bigger organisation: the same calls
        seed_account(f"acc-x{i}", f"x{i}@{DOMAIN_A}", first_name=f"Xander{i}", last_name="Mulder")
    big_db, _, big_ops, _ = calls.measure(lambda: call(client, "GET", "/admin/accounts?q=vries", world["la"]))
    assert not [op for op in big_ops if op.startswith("Scan")]
    assert "Query search" in big_ops and any(op.startswith("BatchGetItem") for op in big_ops)
    assert big_ops == small_ops and big_db == small_db


def _keys_of(account_id: str) -> set[tuple[str, str]]:
    return {(k.org_id, search.term_of(k)) for k in AccountSearchKey.account_index.query(account_id)}


def test_R_ACC_06_R_ACC_07_the_search_follows_a_rename_by_the_admin_and_by_the_holder(client, world):
    renamed = call(client, "PATCH", "/admin/accounts/acc-eva", world["la"], {"last_name": "Mulder"})
    assert renamed.status_code == 200 and renamed.json_body["last_name"] == "Mulder"
    assert _ids(_search(client, world["la"], "de vries")) == []
    assert _ids(_search(client, world["la"], "mulder")) == ["acc-eva"]
    assert _keys_of("acc-eva") == {(ORG_A, t) for t in ("eva", "mulder", "devries")}  # address unchanged

    holder = start_session("acc-vera")
    changed = call(client, "PATCH", "/me", holder, {"first_name": "Veerle"})
    assert changed.status_code == 200 and changed.json_body["first_name"] == "Veerle"
    assert _ids(_search(client, world["la"], "veerle")) == ["acc-vera"]
    assert _ids(_search(client, world["la"], "vera")) == []


def test_R_ACC_03_R_ACC_06_the_search_follows_a_confirmed_address_change(client, world):
    holder = start_session("acc-dirk")
    asked = call(client, "PATCH", "/me", holder, {"email": f"d.bakker@{DOMAIN_A}"})
    assert asked.status_code == 200
    assert _ids(_search(client, world["la"], "dirk.ba")) == ["acc-dirk"]  # nothing changes until confirmed
    link = token_in(last_mail_to(f"d.bakker@{DOMAIN_A}"))
    assert call(client, "POST", "/auth/verify", body={"token": link}).status_code == 200
    assert _ids(_search(client, world["la"], "dirk.ba")) == ["acc-dirk"]  # "dirk" is still the first name
    assert _ids(_search(client, world["la"], "d.bak")) == ["acc-dirk"]
    assert ("org-a", "d") in _keys_of("acc-dirk")
    assert _ids(_search(client, world["la"], f"d.bakker@{DOMAIN_A}")) == ["acc-dirk"]


def test_R_ACC_06_R_ACC_08_keys_move_with_the_organisation_and_go_with_the_account(client, world):
    Organisation(ORG_B).update(actions=[Organisation.domains.add({DOMAIN_A})])
    moved = call(client, "PATCH", "/admin/accounts/acc-vera", world["cfb"], {"org_id": ORG_B})
    assert moved.status_code == 200
    assert _ids(_search(client, world["la"], "vriesema")) == []
    assert _ids(_search(client, world["cfb"], "vriesema", org=ORG_B)) == ["acc-vera"]
    assert {org for org, _ in _keys_of("acc-vera")} == {ORG_B}

    deleted = call(client, "DELETE", "/admin/accounts/acc-eva", world["la"])
    assert deleted.status_code == 200
    assert _keys_of("acc-eva") == set()
    assert _ids(_search(client, world["la"], "eva")) == []


def test_R_ACC_06_a_rename_that_lost_a_race_changes_nothing_and_keys_match_the_winner(client, world):
    """Two renames read the same account: the second's transaction is conditional on the name it read."""
    stale = Account.get("acc-eva")
    assert call(client, "PATCH", "/admin/accounts/acc-eva", world["la"], {"last_name": "Mulder"}).status_code == 200
    after = search.Indexed("Eva", "Smit", stale.email, stale.org_id)
    assert search.update(stale, [Account.last_name.set("Smit")], Account.account_id.exists(), after) is False
    assert Account.get("acc-eva").last_name == "Mulder"
    assert {t for _, t in _keys_of("acc-eva")} == {"eva", "mulder", "devries"}


def test_R_ACC_06_an_account_created_by_sign_up_is_found_at_once(client, world):
    """A new account is written with its keys in one transaction (chalicelib.accounts.search.create)."""
    email = f"noor.el.amrani@{DOMAIN_A}"
    asked = call(client, "POST", "/auth/signup", body=signup_body(email, first_name="Noor", last_name="El Amrani"))
    assert asked.status_code == 202
    assert call(client, "POST", "/auth/verify", body={"token": token_in(last_mail_to(email))}).status_code == 200
    created = accounts.find_by_email(email)
    assert created is not None
    assert _ids(_search(client, world["la"], "amrani")) == [created.account_id]
    assert _ids(_search(client, world["la"], "elamrani")) == [created.account_id]


def test_R_ACC_06_rebuild_restores_lost_keys_and_drops_stale_ones(client, world, capsys):
    for key in AccountSearchKey.account_index.query("acc-eva"):  # as after restoring the accounts from a backup
        AccountSearchKey(key.org_id, key.search_key).delete()
    AccountSearchKey(ORG_A, f"zwart{search.SEPARATOR}x{search.SEPARATOR}acc-dirk", account_id="acc-dirk",
                     terms="zwart").save()
    assert _ids(_search(client, world["la"], "de vries")) == []
    assert _ids(_search(client, world["la"], "zwart")) == []  # a stale key never shows an account
    assert accounts_tool.main(["rebuild-search"]) == 0
    assert "Klaar" in capsys.readouterr().out
    assert _ids(_search(client, world["la"], "de vries")) == ["acc-eva"]
    assert ("org-a", "zwart") not in _keys_of("acc-dirk")


# --- issue 28: CFB searches every organisation at once ----------------------------------------------------


def test_R_ACC_06_cfb_searches_across_every_organisation(client, world):
    """Issue 28: CFB's account search needed one organisation. Without one it searches them all."""
    both = _search(client, world["cfb"], "eva")
    assert both["org_id"] is None
    assert sorted(_ids(both)) == ["acc-b-eva", "acc-eva"]
    assert {a["organisation_name"] for a in both["accounts"]} == {"Ministerie A", "Dienst B"}
    assert all(a["manageable"] for a in both["accounts"])
    assert sorted(_ids(_search(client, world["cfb"], "de vries"))) == ["acc-b-eva", "acc-eva"]
    assert _ids(_search(client, world["cfb"], f"eva.devries@{DOMAIN_B}")) == ["acc-b-eva"]  # an exact address
    assert _ids(_search(client, world["cfb"], "vriesema")) == ["acc-vera"]
    no_query = call(client, "GET", "/admin/accounts", world["cfb"])  # listing everyone needs an organisation
    assert no_query.status_code == 400 and "org_id" in no_query.json_body["error"]["fields"]
    assert _ids(_search(client, world["la"], "eva")) == ["acc-eva"]  # a local admin: still their own only


def test_R_ACC_06_a_search_across_organisations_pages_through_all_and_reads_one_index_by_prefix(client, world):
    for i in range(4):
        seed_account(f"acc-bv{i}", f"v{i}.vos@{DOMAIN_B}", org_id=ORG_B, first_name=f"Vivian{i}", last_name="Vos")
    seen: list[str] = []
    calls = Calls()
    _, _, operations, response = calls.measure(
        lambda: call(client, "GET", "/admin/accounts?q=v&limit=3", world["cfb"]))
    body = response.json_body
    assert operations.count("Query search") == 1 and not [op for op in operations if op.startswith("Scan")]
    while True:
        assert 1 <= len(body["accounts"]) <= 3
        seen += _ids(body)
        if not body["next_cursor"]:
            break
        cursor = body["next_cursor"]
        body = _search(client, world["cfb"], "v", limit=3, cursor=cursor)
    expected = ["acc-eva", "acc-vera", "acc-evert", "acc-cfb", "acc-b-eva"] + [f"acc-bv{i}" for i in range(4)]
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))
    within_a = call(client, "GET", f"/admin/accounts?q=v&org_id={ORG_A}&cursor={cursor}", world["cfb"])
    assert within_a.status_code == 400 and "cursor" in within_a.json_body["error"]["fields"]


def test_R_ACC_06_keys_written_before_the_term_index_are_found_after_the_rebuild(client, world):
    """The term index reads the `initial` of each key; keys stored before it have none until
    `tools.accounts rebuild-search` (the migration) writes them again."""
    for key in AccountSearchKey.account_index.query("acc-b-eva"):
        AccountSearchKey(key.org_id, key.search_key, account_id=key.account_id, terms=key.terms).save()
    assert _ids(_search(client, world["cfb"], "eva")) == ["acc-eva"]
    assert accounts_tool.main(["rebuild-search"]) == 0
    assert sorted(_ids(_search(client, world["cfb"], "eva"))) == ["acc-b-eva", "acc-eva"]
