"""R_CAT_07: CFB maintains the search's synonyms and English-Dutch translations without a deploy.

A saved list is stored (conditional on the version the edit started from), publishes a new build
of the search index with it, so the next search finds through it while a warm search still makes
one DynamoDB call, and is logged with who did it. Bad input is a 400 naming the term and changes
nothing. (Who may call the routes: the role matrix, tests/functional/test_acc_role_matrix.py.)
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from chalicelib.access import Access
from chalicelib.catalogue import index as catalogue_index
from chalicelib.catalogue import vocabulary_rules
from chalicelib.platform import eventlog
from chalicelib.platform.config import settings
from devstack.edudex_builder import Run, program
from tests.functional.helpers import acting_as, bearer, make_supplier

Y = date.today().year + 1
CSRF = {"Content-Type": "application/json", "X-Leer-Rijk": "1", "Origin": settings.portal_origin}


@pytest.fixture
def cycling(client):
    token = make_supplier("sup-v", name="Vitaal Werk")
    doc = program("sup-v", "V1", "Fietsen naar het werk", "Gezond en op tijd.", "Met een fietsenmaker.",
                  runs=[Run("v1", date(Y, 3, 1), date(Y, 3, 1), "Utrecht")])
    assert client.http.put("/supplier/programs/V1", headers=bearer(token), body=json.dumps(doc)).status_code == 200


def _lists(client):
    with acting_as(Access.CFB, org_id=None, subject_id="acct-cfb"):
        response = client.http.get("/admin/search-lists")
    assert response.status_code == 200, response.body
    return response.json_body


def _put(client, name, body):
    with acting_as(Access.CFB, org_id=None, subject_id="acct-cfb"):
        return client.http.put(f"/admin/search-lists/{name}", headers=CSRF, body=json.dumps(body))


def _names(client, q):
    response = client.http.get(f"/courses?q={q}")
    assert response.status_code == 200, response.body
    return [item["name"] for item in response.json_body["items"]]


def test_R_CAT_07_cfb_sees_the_maintained_lists_until_it_saves_its_own(client):
    lists = _lists(client)
    assert lists["synonyms"]["version"] == 0 and lists["synonyms"]["updated_at"] is None
    privacy = ["AVG", "GDPR", "privacy", "gegevensbescherming", "persoonsgegevens",
               "Algemene verordening gegevensbescherming", "privacywetgeving"]
    assert any(group[:len(privacy)] == privacy for group in lists["synonyms"]["groups"])
    assert {"en": ["leadership", "leading"], "nl": ["leiderschap", "leidinggeven"]} in lists["translations"]["entries"]


def test_R_CAT_07_a_cfb_synonym_changes_what_the_search_finds_at_once_and_is_logged(client, cycling):
    from tests.functional.conftest import calls

    assert _names(client, "tweewieler") == []
    loaded = catalogue_index.current()  # this container, and others, hold the build of before the edit
    lists = _lists(client)
    groups = [*lists["synonyms"]["groups"], [" fiets ", "tweewieler", "fiets"]]
    response = _put(client, "synonyms", {"groups": groups, "version": 0})
    assert response.status_code == 200, response.body
    assert response.json_body["synonyms"]["version"] == 1
    assert response.json_body["synonyms"]["groups"][-1] == ["fiets", "tweewieler"]  # trimmed, each term once

    catalogue_index._cached = loaded  # another container: its next request sees the new build id
    assert _names(client, "tweewieler") == ["Fietsen naar het werk"]
    calls.clear()
    assert _names(client, "tweewieler") == ["Fietsen naar het werk"]
    assert dict(calls) == {"GetItem": 1}  # warm: the build id only; the list came with the build
    entry = next(e for e in eventlog.recent() if e["kind"] == "search_lists_changed")
    assert entry["detail"] == {"actor_ref": entry["detail"]["actor_ref"], "changed": "synonyms",
                               "count": len(groups), "outcome": "index_rebuilt"}
    assert entry["detail"]["actor_ref"]  # who did it, as a pseudonymous reference


def test_R_CAT_07_a_cfb_translation_finds_the_dutch_course(client, cycling):
    assert _names(client, "cycling") == []
    entries = [*_lists(client)["translations"]["entries"], {"en": ["cycling", "bike"], "nl": ["fietsen"]}]
    assert _put(client, "translations", {"entries": entries, "version": 0}).status_code == 200
    assert _names(client, "cycling") == ["Fietsen naar het werk"]


def test_R_CAT_07_a_later_import_keeps_the_saved_lists(client, cycling):
    groups = [*_lists(client)["synonyms"]["groups"], ["fiets", "tweewieler"]]
    assert _put(client, "synonyms", {"groups": groups, "version": 0}).status_code == 200
    token = make_supplier("sup-w", name="Werkplaats")
    doc = program("sup-w", "W1", "Excel", "Rekenen.", "Formules.", runs=[Run("w1", date(Y, 4, 1), date(Y, 4, 1))])
    assert client.http.put("/supplier/programs/W1", headers=bearer(token), body=json.dumps(doc)).status_code == 200
    assert _names(client, "tweewieler") == ["Fietsen naar het werk"]


@pytest.mark.parametrize(("body", "field", "text"), [
    ({"groups": [["privacy", "AVG"], ["avg", "GDPR"]], "version": 0}, "groups.1.0", "staat ook op een andere regel"),
    ({"groups": [["fiets"]], "version": 0}, "groups.0", "minstens twee verschillende termen"),
    ({"groups": [["fiets", "fiets"]], "version": 0}, "groups.0", "minstens twee verschillende termen"),
    ({"groups": [["fiets", "de het"]], "version": 0}, "groups.0.1", "alleen uit stopwoorden"),
    ({"groups": [["fiets", "<script>"]], "version": 0}, "groups.0.1", "tekens die niet in een zoekterm horen"),
    ({"groups": [["fiets", "x" * 90]], "version": 0}, "groups.0.1", "te lang"),
    ({"groups": [], "version": 0}, "groups", "minstens één groep"),
    ({"groups": [["fiets", "rijwiel"]]}, "version", "verplicht"),
    ({"groups": [["fiets", "rijwiel"]], "version": 0, "extra": 1}, "extra", "onbekend"),
])
def test_R_CAT_07_R_SEC_02_a_bad_synonym_list_is_a_400_naming_the_term_and_changes_nothing(
        client, cycling, body, field, text):
    response = _put(client, "synonyms", body)
    assert response.status_code == 400, response.body
    assert response.json_body["error"]["code"] == "validation_failed"
    assert text in response.json_body["error"]["fields"][field]
    assert _lists(client)["synonyms"]["version"] == 0
    assert _names(client, "rijwiel") == []


def test_R_CAT_07_R_SEC_02_a_bad_translation_list_is_a_400_naming_the_term(client):
    body = {"entries": [{"en": ["cycling"], "nl": []}], "version": 0}
    response = _put(client, "translations", body)
    assert response.status_code == 400
    assert response.json_body["error"]["fields"] == {"entries.0.nl": "Vul minstens één term in."}


def test_R_CAT_07_an_edit_from_an_older_version_is_refused_and_changes_nothing(client, cycling):
    groups = _lists(client)["synonyms"]["groups"]
    assert _put(client, "synonyms", {"groups": [*groups, ["fiets", "tweewieler"]], "version": 0}).status_code == 200
    stale = _put(client, "synonyms", {"groups": [*groups, ["fiets", "rijwiel"]], "version": 0})
    assert stale.status_code == 409
    assert stale.json_body["error"]["code"] == "list_changed"
    assert _names(client, "rijwiel") == []
    assert _lists(client)["synonyms"]["version"] == 1
    again = _put(client, "synonyms", {"groups": [*groups, ["fiets", "tweewieler"]], "version": 0})
    assert again.status_code == 200  # the same list sent again (a retry) is no conflict


def _older_release(monkeypatch, left_out):
    """The maintained defaults as a release before this one had them: without the members `left_out`."""
    current = vocabulary_rules.default_lists()
    older = vocabulary_rules.SearchLists(
        tuple(kept for kept in (tuple(m for m in group if m not in left_out) for group in current.synonyms)
              if len(kept) >= 2), current.translations)
    monkeypatch.setattr(vocabulary_rules, "default_lists", lambda: older)
    return current


def test_R_CAT_07_terms_a_release_adds_to_the_defaults_are_offered_to_a_saved_list_never_applied_unasked(
        client, monkeypatch):
    """A list CFB saved applies instead of the maintained defaults, so what a release adds to them (keukentafel
    joined thuiswerken in issue 27's eighth round) would never reach it. The page shows how many default terms the
    saved list lacks and the list with them merged in, each in the group that holds its default group; CFB's own
    groups and removals stay. Only when CFB saves that list does the search find through the new terms."""
    token = make_supplier("sup-t", name="Thuis")
    doc = program("sup-t", "T1", "Thuiswerken en samenwerken", "Goede afspraken.", "Met oefeningen.",
                  runs=[Run("t1", date(Y, 4, 1), date(Y, 4, 1), "Utrecht")])
    assert client.http.put("/supplier/programs/T1", headers=bearer(token), body=json.dumps(doc)).status_code == 200
    current = _older_release(monkeypatch, {"keukentafel", "thuiswerkplek"})
    fresh = _lists(client)
    assert fresh["synonyms"]["defaults_missing"] == 0 and fresh["synonyms"]["with_defaults"] is None
    assert "keukentafel" not in json.dumps(fresh["synonyms"]["groups"])
    own = [*fresh["synonyms"]["groups"], ["fiets", "tweewieler"]]
    assert _put(client, "synonyms", {"groups": own, "version": 0}).status_code == 200
    monkeypatch.setattr(vocabulary_rules, "default_lists", lambda: current)  # the release that added them
    assert _names(client, "keukentafel") == []

    offered = _lists(client)["synonyms"]
    assert offered["defaults_missing"] == 2 and "keukentafel" not in json.dumps(offered["groups"])
    home = next(group for group in offered["with_defaults"] if "thuiswerken" in group)
    assert home[-2:] == ["thuiswerkplek", "keukentafel"] and ["fiets", "tweewieler"] in offered["with_defaults"]
    assert _names(client, "keukentafel") == []  # offered, not applied

    taken = _put(client, "synonyms", {"groups": offered["with_defaults"], "version": offered["version"]})
    assert taken.status_code == 200, taken.body
    assert taken.json_body["synonyms"]["defaults_missing"] == 0
    assert _names(client, "keukentafel") == ["Thuiswerken en samenwerken"]


def test_R_CAT_07_a_default_term_cfb_leaves_out_is_not_offered_again_but_one_a_later_release_adds_is(
        client, monkeypatch):
    """CFB takes GDPR out of the privacy group on purpose (its courses are all in Dutch) and saves: the page does
    not offer it back on every visit. A term the next release adds is still offered, without GDPR."""
    current = _older_release(monkeypatch, {"keukentafel"})
    groups = [[member for member in group if member != "GDPR"] for group in _lists(client)["synonyms"]["groups"]]
    saved = _put(client, "synonyms", {"groups": groups, "version": 0})
    assert saved.status_code == 200, saved.body
    assert saved.json_body["synonyms"]["defaults_missing"] == 0
    assert _lists(client)["synonyms"]["defaults_missing"] == 0  # nor after a reload

    monkeypatch.setattr(vocabulary_rules, "default_lists", lambda: current)
    offered = _lists(client)["synonyms"]
    assert offered["defaults_missing"] == 1, offered["defaults_missing"]
    assert "keukentafel" in json.dumps(offered["with_defaults"]) and "GDPR" not in json.dumps(offered["with_defaults"])


def test_R_CAT_07_a_translation_cfb_leaves_out_is_not_offered_again(client):
    entries = _lists(client)["translations"]["entries"]
    kept = [entry for entry in entries if "leadership" not in entry["en"]]
    saved = _put(client, "translations", {"entries": kept, "version": 0})
    assert saved.status_code == 200, saved.body
    assert saved.json_body["translations"]["defaults_missing"] == 0
    assert _lists(client)["translations"]["defaults_missing"] == 0
