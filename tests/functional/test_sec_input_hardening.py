"""Issue 9 items 2 and 3: hostile characters and hostile JSON, attacked through the real routes.

R_SUP_02 / R_SEC_02: every free-text input refuses what XML 1.0 cannot carry, with a 400 naming the
field; the feed and the supplier's e-mail always carry a document that parses.
R_SEC_02: deep, non-UTF-8 or undeclared JSON bodies get a 4xx in the envelope and change nothing.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest
from defusedxml import ElementTree

from chalicelib.access import Access
from chalicelib.models import Account, Course, Enrolment, OutboxItem
from chalicelib.platform import clock
from chalicelib.suppliers import apikeys, feeds
from devstack.edudex_builder import Run, program
from tests.functional import enrolment_fixtures as fx
from tests.functional.conftest import sent_mail
from tests.functional.helpers import acting_as, bearer, make_supplier
from tests.functional.test_acc_support import PORTAL, cookie, seed_account, seed_orgs, start_session

NS = {"lr": feeds.NAMESPACE}
# One representative of every class XML 1.0 cannot carry (or that Unicode reserves as noncharacters).
UNSAFE = {
    "nul": "\x00", "c0_control": "\x01", "vertical_tab": "\x0b", "form_feed": "\x0c", "unit_separator": "\x1f",
    "fffe": "\ufffe", "ffff": "\uffff", "fdd0_noncharacter": "\ufdd0", "fdef_noncharacter": "\ufdef",
    "plane1_noncharacter": "\U0001fffe", "plane16_noncharacter": "\U0010ffff",
    "lone_high_surrogate": "\ud800", "lone_low_surrogate": "\udfff",
}
# What must still pass: markup (escaped on output), accents, emoji, astral planes, tab/LF/CR where allowed.
SAFE_TEXT = "Zoë <b>&amp;</b> \"'\U0001f600 \u00e9\u4e2d"


def _json(body: dict) -> bytes:
    """json.dumps escapes lone surrogates as \\ud800, exactly as an attacker would send them."""
    return json.dumps(body).encode()


@pytest.fixture
def feed_world(client):
    fx.organisation()
    fx.account()
    return fx.publish(client, delivery="feed", seats=None)


@pytest.fixture
def mail_world(client):
    fx.organisation()
    fx.account()
    return fx.publish(client, delivery="email", seats=None)


def _enrol(client, world, key: str, **overrides):
    with acting_as(Access.EMPLOYEE, org_id="org-bzk"):
        return client.http.post("/enrolments", body=_json(fx.form(world, **overrides)),
                                headers={"Content-Type": "application/json", "Idempotency-Key": key})


def _feed(client) -> bytes:
    token = apikeys.create_key("supplier", "sup-a").token
    url = client.http.get("/supplier/feed-url", headers=bearer(token)).json_body["url"]
    parts = urlsplit(url)
    query = "&".join(f"{k}={v}" for k, v in parse_qsl(parts.query))
    response = client.http.get(parts.path.removeprefix("/api") + "?" + query)
    assert response.status_code == 200, response.body
    return response.body


@pytest.mark.parametrize("name", sorted(UNSAFE))
def test_R_SUP_02_R_SEC_02_unsafe_code_point_is_refused_and_the_feed_still_parses(client, feed_world, name):
    for field in ("first_name", "job_function", "department_name", "initials"):
        response = _enrol(client, feed_world, f"bad-{field}", **{field: f"S{UNSAFE[name]}x"})
        assert response.status_code == 400, response.body
        fields = response.json_body["error"]["fields"]
        assert list(fields) == [field] and field in fields[field] and "niet is toegestaan" in fields[field]
    assert list(Enrolment.scan()) == []  # nothing changed
    assert _enrol(client, feed_world, "good", first_name=SAFE_TEXT, job_function="Adviseur\u00a0IV").status_code == 201
    root = ElementTree.fromstring(_feed(client))  # parses: well-formed
    participants = root.findall("lr:entry/lr:participant", NS)
    assert [p.find("lr:firstName", NS).text for p in participants] == [SAFE_TEXT]


@pytest.mark.parametrize("name", sorted(UNSAFE))
def test_R_SUP_02_unsafe_code_point_never_reaches_the_supplier_mail(client, mail_world, name):
    response = _enrol(client, mail_world, "bad", last_name=f"Jan{UNSAFE[name]}sen")
    assert response.status_code == 400 and "last_name" in response.json_body["error"]["fields"]
    assert sent_mail() == [] and list(OutboxItem.scan()) == [] and list(Enrolment.scan()) == []
    assert _enrol(client, mail_world, "good", last_name=SAFE_TEXT).status_code == 201
    supplier_mail = next(m for m in sent_mail() if m.destinations["ToAddresses"] == ["inschrijvingen@sup-a.example"])
    assert "Zoë" in supplier_mail.body and "\U0001f600" in supplier_mail.body
    assert all(ch not in supplier_mail.body for ch in UNSAFE.values() if ch not in "\ud800\udfff")


def test_R_SUP_02_feed_strips_unsafe_characters_already_stored(client, feed_world):
    """Defence in depth: data written before the input rule (or by a tool) cannot break the document."""
    assert _enrol(client, feed_world, "good").status_code == 201
    stored = next(iter(Enrolment.scan()))
    stored.update(actions=[Enrolment.first_name.set("S\x00e\uffffm\x1b"), Enrolment.job_function.set("a\ufdd0b")])
    root = ElementTree.fromstring(_feed(client))
    participant = root.find("lr:entry/lr:participant", NS)
    assert participant.find("lr:firstName", NS).text == "Sem"
    assert participant.find("lr:jobFunction", NS).text == "ab"


@pytest.mark.parametrize("name", ["nul", "ffff", "lone_high_surrogate", "plane16_noncharacter"])
def test_R_SEC_02_edudex_text_with_unsafe_characters_is_refused_naming_the_field(client, name):
    token = make_supplier("sup-a")
    start = clock.today()
    doc = program("sup-a", "P-9", f"Titel{UNSAFE[name]}", "Kort", "Lang",
                  runs=[Run("r1", start, start, "Utrecht", seats=3)])
    response = client.http.put("/supplier/programs/P-9", headers=bearer(token), body=_json(doc))
    assert response.status_code == 400, response.body
    fields = response.json_body["error"]["fields"]
    assert fields and all(pointer.startswith("/") and pointer in message for pointer, message in fields.items())
    assert list(Course.scan()) == []


@pytest.mark.parametrize("name", ["vertical_tab", "ffff", "lone_low_surrogate"])
def test_R_SEC_02_question_and_profile_refuse_unsafe_characters(client, name):
    seed_orgs()
    seed_account("acc-anna", "anna@minbzk.nl")
    token = start_session("acc-anna")
    question = client.http.post("/me/questions", headers=cookie(token),
                                body=_json({"question": f"Hoe werkt\nhet{UNSAFE[name]}?"}))
    assert question.status_code == 400 and list(question.json_body["error"]["fields"]) == ["question"]
    profile = client.http.patch("/me", headers=cookie(token), body=_json({"first_name": f"An{UNSAFE[name]}na"}))
    assert profile.status_code == 400 and list(profile.json_body["error"]["fields"]) == ["first_name"]
    assert sent_mail() == [] and Account.get("acc-anna").first_name == "Anna"


# --- item 3: hostile JSON ---------------------------------------------------------------------------

DEEP = b"[" * 1000 + b"]" * 1000
DEEP_OBJECT = b'{"a":' * 1000 + b"1" + b"}" * 1000
STRING_THEN_DEEP = b'{"x": "' + b"]" * 5000 + b'", "y": ' + b"[" * 40 + b"]" * 40 + b"}"


@pytest.fixture
def targets(client):
    """The three routes of the report: login (no login needed), my profile, the supplier's PUT."""
    seed_orgs()
    seed_account("acc-anna", "anna@minbzk.nl")
    supplier_token = make_supplier("sup-a")
    session = cookie(start_session("acc-anna"))
    return [("POST", "/auth/login", PORTAL), ("PATCH", "/me", session),
            ("PUT", "/supplier/programs/P-1", bearer(supplier_token))]


def _unchanged() -> tuple:
    account = Account.get("acc-anna")
    return (account.first_name, account.email, len(sent_mail()), len(list(Course.scan())))


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT, STRING_THEN_DEEP],
                         ids=["arrays", "objects", "brackets_in_string_then_deep"])
def test_R_SEC_02_deep_json_is_a_400_in_the_envelope(client, targets, body):
    before = _unchanged()
    for method, path, headers in targets:
        response = client.http.request(method, path, headers=headers, body=body)
        assert response.status_code == 400, (path, response.body)
        error = response.json_body["error"]
        assert error["code"] == "validation_failed" and "niveaus" in " ".join(error["fields"].values()), path
    assert _unchanged() == before


def test_R_SEC_02_nesting_within_the_limit_is_parsed_normally(client, targets):
    method, path, headers = targets[1]
    body = b'{"first_name": "Anke", "x": ' + b"[" * 30 + b'"[[[[{{{{\\"[[[["' + b"]" * 30 + b"}"
    response = client.http.request(method, path, headers=headers, body=body)
    assert (response.status_code, list(response.json_body["error"]["fields"])) == (400, ["x"])  # unknown field


@pytest.mark.parametrize("body", ['{"email": "anna@minbzk.nl", "first_name": "Ånna"}'.encode("latin-1"),
                                  '{"first_name": "Anke"}'.encode("utf-16"),
                                  '{"first_name": "Anke"}'.encode("utf-32")],
                         ids=["latin-1", "utf-16", "utf-32"])
def test_R_SEC_02_json_that_is_not_utf8_is_refused(client, targets, body):
    before = _unchanged()
    for method, path, headers in targets:
        response = client.http.request(method, path, headers=headers, body=body)
        assert response.status_code == 400, (path, response.body)
        assert "UTF-8" in " ".join(response.json_body["error"]["fields"].values())
    assert _unchanged() == before


@pytest.mark.parametrize("content_type", [None, "", " ", "text/plain", "application/xml"])
def test_R_SEC_02_a_body_without_json_content_type_gets_415_in_the_envelope(client, targets, content_type):
    before = _unchanged()
    valid = {"/auth/login": {"email": "anna@minbzk.nl"}, "/me": {"first_name": "Mallory"},
             "/supplier/programs/P-1": {}}
    for method, path, headers in targets:
        sent = {k: v for k, v in headers.items() if k != "Content-Type"}
        if content_type is not None:
            sent["Content-Type"] = content_type
        response = client.http.request(method, path, headers=sent, body=_json(valid[path]))
        assert response.status_code == 415, (path, response.body)
        assert response.json_body["error"]["code"] == "unsupported_media_type"
        assert response.headers["Content-Type"].startswith("application/json")
    assert _unchanged() == before


def test_R_SEC_02_a_bodiless_post_needs_no_content_type(client, targets):
    """Logout sends nothing: no Content-Type is needed and none is refused."""
    sent = {k: v for k, v in PORTAL.items() if k != "Content-Type"}
    assert client.http.request("POST", "/auth/logout", headers=sent, body=b"").status_code == 200


def test_R_SEC_02_get_with_any_content_type_is_answered_normally(client):
    """Chalice's own 415 (outside the envelope) never answers: the guard owns the decision."""
    response = client.http.get("/health", headers={"Content-Type": "text/xml"})
    assert response.status_code == 200
