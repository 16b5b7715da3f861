"""Every route of the app in `make bench` (issue 23 item 3): one warm request per route that
bench/route_calls.py's first scenarios do not already measure, and the walk that finds a route with none.

`measure_the_rest` continues route_calls.measure's world (its accounts, sessions, enrolments and keys) and
records through the same `record`, which notes the route each request reached (Chalice's route table, as
`app.routes` lists it). `unmeasured` compares those with every route of the app: a route added without a
scenario here fails tests/functional/test_request_budget.py and shows as `routes_unmeasured` in `make bench`.
A GET is measured warm (asked once before), as a container serves it after the first; a change is measured
once, on a world where it succeeds. No environment side effects on import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

# Each budget is the measured figure (issue 23 item 3), so a regression fails the budget test. The CFB export
# (admin_export) was 24 before it read through the register's lookups (rights.found_for), export_summary 19; with
# the ledger read by one Query of its `account-index` instead of one per enrolment, 20 and 14 before (acct-1 and
# p1 have two enrolments each). A deletion takes the account off its ledger rows (one Query of that index, and an
# UpdateItem per row): me_delete and admin_account_delete were 19 and 20 before.
BUDGET = {
    "health": 0, "openapi": 0, "sitemap": 1, "organisations": 1, "session_visitor": 0, "contact": 8, "signup": 8,
    "login": 8, "verify": 10, "logout": 4, "session": 2, "me": 2, "me_patch": 7, "deletion_preview": 2,
    "export_summary": 13, "question_recipient": 3, "question": 4, "totp_setup": 2, "totp_verify": 10,
    "my_enrolments": 2, "hide": 3, "lms_enrol": 6, "lms_cancel": 6, "lms_courses": 2, "feed_url": 2,
    "program_put": 16, "program_delete": 16, "admin_account": 3, "admin_account_patch": 9, "admin_roles": 12,
    "admin_sessions_end": 5, "admin_disable": 8, "admin_enable": 7, "admin_totp_reset": 9,
    "admin_account_delete": 21, "admin_export": 19, "admin_organisations": 2, "admin_organisation_create": 4,
    "admin_organisation": 3, "admin_organisation_patch": 5, "admin_organisation_keys": 3,
    "admin_organisation_key_create": 5, "admin_organisation_key_revoke": 5, "admin_suppliers": 2,
    "admin_supplier_create": 4, "admin_supplier": 2, "admin_supplier_patch": 15, "admin_supplier_links_revoke": 4,
    "admin_supplier_keys": 3, "admin_supplier_key_create": 5, "admin_supplier_key_revoke": 5, "admin_spend": 26,
    "admin_enrolments": 2, "admin_undeliverable": 2, "ops_log": 2, "orders": 3, "orders_export": 2,
    "order_ordered": 5, "order_reopen": 5, "review_write": 11, "reviews": 6, "my_reviews": 4, "review_patch": 8,
    "supplier_reviews": 5, "admin_reviews": 5, "review_delete": 6, "me_delete": 20,
    "agenda_ics": 3, "admin_search_lists": 2, "admin_synonyms_put": 13, "admin_translations_put": 13,
    "admin_directory": 3, "admin_directory_connection_create": 4, "admin_directory_connection_patch": 6,
    "admin_directory_sync": 5, "admin_directory_held": 2, "admin_supplier_directory": 8, "directory_hook": 2,
    "waiting_join": 5, "lms_waiting_join": 5, "my_waiting": 3, "lms_waiting_place": 3, "waiting_leave": 5,
    "lms_waiting_leave": 5, "admin_waiting": 2, "supplier_waiting": 2, "admin_cancel": 11, "waiting_offer_post": 9,
    "offer_get": 2, "offer_post": 5,
}
# Measured and reported, held by no budget: what they read grows with time or with the data, by design.
REPORTED_ONLY = {
    "admin_retention": "the self-check reads every date-keyed index day by day and month by month since 2026-01 "
                       "(one more Query each month), and each session, mail and link of the last 30 days by key",
}


@dataclass
class Walk:
    """route_calls.measure's client, world and recorder, with a GET and a change in one line each."""

    client: Any
    world: dict[str, Any]
    record: Callable[..., Any]
    headers: Callable[..., dict[str, str]]

    def get(self, name: str, path: str, who: str | None = None, key: str | None = None, expect: int = 200) -> Any:
        sent = {**self.headers(who), **_bearer(key)}
        self.client.http.get(path, headers=sent)  # warm: what a container has after the first such request
        return self.record(name, lambda: self.client.http.get(path, headers=sent), expect)

    def send(self, name: str, method: str, path: str, body: Any = None, who: str | None = None,
             key: str | None = None, expect: int = 200, idempotency: str | None = None) -> Any:
        sent = {**self.headers(who, write=True, key=idempotency), **_bearer(key)}
        payload = json.dumps({} if body is None else body)
        return self.record(name, lambda: self.client.http.request(method, path, headers=sent, body=payload), expect)


def _bearer(key: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"} if key else {}


def reached(app: Any) -> str | None:
    """The route the last request reached, as `METHOD /path` (None: it never reached the app)."""
    request = app.current_request
    return f"{request.method} {request.context['resourcePath']}" if request is not None else None


def routes_of(app: Any) -> set[str]:
    """Every route the app answers, as `METHOD /path`."""
    return {f"{method} {path}" for path, methods in app.routes.items() for method in methods}


def unmeasured(app: Any, measured: dict[str, dict[str, Any]]) -> list[str]:
    """The routes no scenario reached: each needs one here (or in route_calls.measure) before it ships."""
    return sorted(routes_of(app) - {str(figures["route"]) for figures in measured.values()})


def measure_the_rest(walk: Walk) -> None:
    _more_world(walk.world)
    _open(walk)
    _account(walk)
    _enrolments_and_suppliers(walk)
    _administration(walk)
    _orders(walk)
    _reviews(walk)
    _calendar(walk)
    _waiting(walk)
    _search_lists(walk)
    _directory(walk)
    _leaving(walk)


def _more_world(world: dict[str, Any]) -> None:
    """Callers route_calls._world does not have: CFB, IT operations, order-authorised staff, a new local admin
    without a second factor, accounts to change and delete, the LMS of org-bzk and supplier sup-a's key."""
    from chalicelib.accounts import search, sessions
    from chalicelib.models import Account, Organisation, role_grant
    from chalicelib.platform import clock
    from chalicelib.suppliers import apikeys

    now, today = clock.now(), clock.today().isoformat()
    people = {
        "acct-cfb": ("cfb@bzk.nl", [role_grant("cfb")], 2),
        "acct-ops": ("ops@bzk.nl", [role_grant("ops")], 2),
        "acct-order": ("inkoop@bzk.nl", [role_grant("order_authorised", "org-bzk", "d1")], 2),
        "acct-new-admin": ("nieuw@bzk.nl", [role_grant("local_admin", "org-bzk")], 1),
        "acct-target": ("doel@bzk.nl", [], 1),
        "acct-removed": ("weg@bzk.nl", [], 1),
        "acct-leaver": ("vertrek@bzk.nl", [], 1),
        "acct-seat": ("zit@bzk.nl", [], 1),
    }
    for account_id, (email, roles, level) in people.items():
        search.create(Account(account_id, email=email, first_name="Kim", last_name=account_id[5:].title(),
                              sort_name=account_id[5:], org_id="org-bzk", department_id="d1", roles=roles,
                              created_at=now, consent_at=now, consent_version="2026-11", last_used_on=today))
        world["cookies"][account_id] = sessions.save_new(sessions.start(account_id, level)).token
    Organisation("org-bzk").update(actions=[Organisation.local_admin_ids.add({"acct-new-admin"}),
                                            Organisation.order_staff.add({"d1#acct-order"})])
    world["lms_key"] = apikeys.create_key("lms", "org-bzk").token
    world["supplier_key"] = apikeys.create_key("supplier", "sup-a").token


def _open(walk: Walk) -> None:
    walk.get("health", "/health")
    walk.get("openapi", "/openapi.json")
    walk.get("sitemap", "/sitemap.xml")
    walk.get("organisations", "/organisations")
    walk.get("session_visitor", "/session")
    walk.send("contact", "POST", "/contact", {"email": "bezoeker@example.org", "question": "Waar vind ik X?"},
              expect=202)
    walk.send("signup", "POST", "/auth/signup", {"first_name": "Nina", "last_name": "Nieuw", "email": "nina@bzk.nl",
                                                 "org_id": "org-bzk", "consent": True,
                                                 "statement_version": _statement_version()}, expect=202)
    walk.send("login", "POST", "/auth/login", {"email": "p2@bzk.nl"}, expect=202)
    walk.send("verify", "POST", "/auth/verify", {"token": _link_token("p2@bzk.nl")})
    walk.send("logout", "POST", "/auth/logout", who="acct-3")


def _account(walk: Walk) -> None:
    from chalicelib.accounts import totp_rules
    from chalicelib.platform import clock

    walk.get("session", "/session", who="acct-0")
    walk.get("me", "/me", who="acct-0")
    walk.send("me_patch", "PATCH", "/me", {"first_name": "Pieter"}, who="acct-0")
    walk.get("deletion_preview", "/me/deletion-preview", who="acct-1")
    walk.get("export_summary", "/me/export/summary", who="acct-1")
    walk.get("question_recipient", "/me/questions/recipient", who="acct-0")
    walk.send("question", "POST", "/me/questions", {"question": "Mag ik deze opleiding volgen?"}, who="acct-0",
              expect=202)
    secret = walk.send("totp_setup", "POST", "/auth/totp/setup", who="acct-new-admin").json_body["secret"]
    walk.send("totp_verify", "POST", "/auth/totp/verify", {"code": totp_rules.code_at(secret, clock.now())},
              who="acct-new-admin")


def _enrolments_and_suppliers(walk: Walk) -> None:
    from chalicelib.models import Enrolment
    from chalicelib.platform import clock

    world = walk.world
    walk.get("my_enrolments", "/me/enrolments", who="acct-1")
    hidden = next(e.enrolment_id for e in Enrolment.account_index.query("acct-1") if e.status == "cancelled")
    walk.send("hide", "POST", f"/enrolments/{hidden}/hide", who="acct-1")
    lms_form = {"course_id": world["courses"]["sup-a"], "execution_id": "r1", "first_name": "Lars", "last_name": "Lms",
                "email": "lars@bzk.nl", "phone": "0701234567", "gender": "man", "consent_at": clock.now().isoformat(),
                "consent_version": "2026-11", "lms_reference": "LMS-1"}
    warm = {**lms_form, "email": "lotte@bzk.nl", "lms_reference": "LMS-0"}
    walk.client.http.post("/lms/enrolments", body=json.dumps(warm),
                          headers={**walk.headers(key="lms-warm"), **_bearer(world["lms_key"])})
    enrolled = walk.send("lms_enrol", "POST", "/lms/enrolments", lms_form, key=world["lms_key"],
                         idempotency="lms-1", expect=201).json_body["enrolment_id"]
    walk.send("lms_cancel", "POST", f"/lms/enrolments/{enrolled}/cancel", key=world["lms_key"])
    walk.get("lms_courses", "/lms/courses", key=world["lms_key"])
    walk.get("feed_url", "/supplier/feed-url", key=world["feed_key"])
    program = _program("sup-a", "P-7", "Schrijven voor het web")
    walk.client.http.put("/supplier/programs/P-6", body=json.dumps(_program("sup-a", "P-6", "Warm")),
                         headers={**walk.headers(), **_bearer(world["supplier_key"])})
    walk.send("program_put", "PUT", "/supplier/programs/P-7", program, key=world["supplier_key"])
    walk.send("program_delete", "DELETE", "/supplier/programs/P-6", key=world["supplier_key"])


def _administration(walk: Walk) -> None:
    _accounts_by_admins(walk)
    _organisations(walk)
    _suppliers(walk)
    walk.get("admin_retention", "/admin/retention", who="acct-cfb")
    walk.get("admin_spend", "/admin/spend?from=2026-01&to=2027-12", who="acct-cfb")
    walk.get("admin_enrolments", "/admin/enrolments?source=lms", who="acct-cfb")
    walk.get("admin_undeliverable", "/admin/undeliverable", who="acct-cfb")
    walk.get("ops_log", "/ops/log", who="acct-ops")


def _accounts_by_admins(walk: Walk) -> None:
    walk.get("admin_account", "/admin/accounts/acct-target", who="acct-admin")
    walk.send("admin_account_patch", "PATCH", "/admin/accounts/acct-target", {"last_name": "Doelman"}, who="acct-admin")
    walk.send("admin_roles", "PUT", "/admin/accounts/acct-target/roles",
              {"roles": [{"role": "order_authorised", "org_id": "org-bzk", "department_id": "d1"}]}, who="acct-cfb")
    walk.send("admin_sessions_end", "DELETE", "/admin/accounts/acct-target/sessions", who="acct-cfb")
    walk.send("admin_disable", "POST", "/admin/accounts/acct-target/disable", who="acct-cfb")
    walk.send("admin_enable", "POST", "/admin/accounts/acct-target/enable", who="acct-cfb")
    walk.send("admin_totp_reset", "POST", "/admin/accounts/acct-new-admin/totp-reset", who="acct-cfb")
    walk.send("admin_account_delete", "DELETE", "/admin/accounts/acct-removed", who="acct-admin")
    walk.client.http.post("/admin/export", body=json.dumps({"email": "p0@bzk.nl"}),
                          headers=walk.headers("acct-cfb", write=True))
    walk.send("admin_export", "POST", "/admin/export", {"email": "p1@bzk.nl"}, who="acct-cfb")


def _organisations(walk: Walk) -> None:
    walk.get("admin_organisations", "/admin/organisations", who="acct-cfb")
    walk.send("admin_organisation_create", "POST", "/admin/organisations",
              {"org_id": "org-new", "name": "Nieuw ministerie", "domains": ["nieuw.nl"]}, who="acct-cfb", expect=201)
    walk.get("admin_organisation", "/admin/organisations/org-bzk", who="acct-admin")
    walk.send("admin_organisation_patch", "PATCH", "/admin/organisations/org-new", {"name": "Nieuwer ministerie"},
              who="acct-cfb")
    walk.get("admin_organisation_keys", "/admin/organisations/org-bzk/keys", who="acct-cfb")
    key_id = walk.send("admin_organisation_key_create", "POST", "/admin/organisations/org-new/keys",
                       {"label": "LMS"}, who="acct-cfb", expect=201).json_body["key_id"]
    walk.send("admin_organisation_key_revoke", "DELETE", f"/admin/organisations/org-new/keys/{key_id}",
              who="acct-cfb")


def _suppliers(walk: Walk) -> None:
    walk.get("admin_suppliers", "/admin/suppliers", who="acct-cfb")
    walk.send("admin_supplier_create", "POST", "/admin/suppliers",
              {"supplier_id": "sup-new", "name": "Nieuwe opleider", "kind": "extern",
               "contact_email": "in@sup-new.example"}, who="acct-cfb", expect=201)
    walk.get("admin_supplier", "/admin/suppliers/sup-a", who="acct-cfb")
    walk.send("admin_supplier_patch", "PATCH", "/admin/suppliers/sup-new", {"name": "Nieuwere opleider"},
              who="acct-cfb")
    walk.send("admin_supplier_links_revoke", "DELETE", "/admin/suppliers/sup-new/feed-links", who="acct-cfb")
    walk.get("admin_supplier_keys", "/admin/suppliers/sup-a/keys", who="acct-cfb")
    key_id = walk.send("admin_supplier_key_create", "POST", "/admin/suppliers/sup-new/keys", {"label": "Koppeling"},
                       who="acct-cfb", expect=201).json_body["key_id"]
    walk.send("admin_supplier_key_revoke", "DELETE", f"/admin/suppliers/sup-new/keys/{key_id}", who="acct-cfb")


def _orders(walk: Walk) -> None:
    """Two lines on department d1's list, as the nightly job writes them (R_ORD_01)."""
    from chalicelib.models import Enrolment, OrderLine
    from chalicelib.orders import rules
    from chalicelib.platform import clock

    day = clock.today().isoformat()
    for enrolment in list(Enrolment.account_index.query("acct-0"))[:1] + list(Enrolment.account_index.query("acct-2")):
        line_id = rules.line_id_for(enrolment.enrolment_id)
        OrderLine(line_id, list_key="org-bzk#d1", list_sort=rules.list_sort(day, line_id),
                  enrolment_id=enrolment.enrolment_id, org_id="org-bzk", department_id="d1",
                  course_id=enrolment.course_id, execution_id=enrolment.execution_id, start_day=enrolment.start_day,
                  end_day=enrolment.original_end_day, supplier_id=enrolment.supplier_id, source="portal",
                  business_email=enrolment.business_email, price_cents=int(enrolment.price_cents), order_day=day,
                  created_at=clock.now()).save()
    lines = walk.get("orders", "/orders", who="acct-order").json_body["items"]
    walk.get("orders_export", "/orders/export?format=json", who="acct-order")
    line_id = lines[0]["line_id"]
    walk.send("order_ordered", "POST", f"/orders/{line_id}/ordered", who="acct-order")
    walk.send("order_reopen", "DELETE", f"/orders/{line_id}/ordered", who="acct-order")


def _reviews(walk: Walk) -> None:
    """A run of sup-a that acct-0 and acct-2 enrolled on and that has ended since (R_REV_01)."""
    from chalicelib.catalogue import use_cases as catalogue
    from chalicelib.models import Execution
    from chalicelib.platform import clock

    catalogue.import_program("sup-a", "P-R", _program("sup-a", "P-R", "Vergaderen"))
    course = catalogue.course_id_for("sup-a", "P-R")
    for account_id in ("acct-0", "acct-2"):
        body = {"course_id": course, "execution_id": "r1", "first_name": "P", "last_name": "Jansen",
                "email": f"{account_id}@bzk.nl", "phone": "0701234567", "gender": "vrouw", "consent": True}
        enrolled = walk.client.http.post("/enrolments", body=json.dumps(body),
                                         headers=walk.headers(account_id, write=True, key=f"review-{account_id}"))
        assert enrolled.status_code == 201, enrolled.body
    Execution(course, "r1").update(actions=[Execution.end_day.set((clock.today() - timedelta(days=2)).isoformat())])
    walk.client.http.post(f"/courses/{course}/reviews", body=json.dumps({"rating": 5, "text": "Prima."}),
                          headers=walk.headers("acct-0", write=True))
    review_id = walk.send("review_write", "POST", f"/courses/{course}/reviews",
                          {"rating": 4, "text": "Goede opleiding, veel geleerd."}, who="acct-2",
                          expect=201).json_body["review_id"]
    walk.get("reviews", f"/courses/{course}/reviews", who="acct-1")
    walk.get("my_reviews", "/me/reviews", who="acct-2")
    walk.send("review_patch", "PATCH", f"/reviews/{review_id}", {"rating": 3}, who="acct-2")
    walk.get("supplier_reviews", "/supplier/reviews", key=walk.world["supplier_key"])
    walk.get("admin_reviews", "/admin/reviews", who="acct-admin")
    walk.send("review_delete", "DELETE", f"/reviews/{review_id}", who="acct-2")


def _calendar(walk: Walk) -> None:
    """The holder's confirmed enrolment as an invitation (R_CAL_01)."""
    from chalicelib.models import Enrolment

    confirmed = next(e.enrolment_id for e in Enrolment.account_index.query("acct-1") if e.status == "approved")
    walk.get("agenda_ics", f"/me/enrolments/{confirmed}/agenda.ics", who="acct-1")


def _waiting(walk: Walk) -> None:
    """A full run past its free-cancellation day (R_WAIT_01-04): people join from the portal and the LMS, look
    at and leave their places, CFB and the supplier look at the list; CFB's cancellation offers the freed seat
    to the first, who declines it, and the next takes it through the mail's link."""
    from chalicelib.catalogue import use_cases as catalogue
    from chalicelib.enrolment import waiting
    from chalicelib.enrolment.moving_up import place_of
    from chalicelib.platform import clock
    from devstack.edudex_builder import Run, program

    world, lms, start = walk.world, walk.world["lms_key"], clock.today() + timedelta(days=5)
    catalogue.import_program("sup-a", "P-W", program("sup-a", "P-W", "Vol en laat", "Kort", "Lang",
                                                     runs=[Run("r1", start, start, "Utrecht", seats=1)]))
    course = catalogue.course_id_for("sup-a", "P-W")
    form = {"course_id": course, "execution_id": "r1", "first_name": "P", "last_name": "Jansen",
            "phone": "0701234567", "gender": "vrouw"}
    lms_form = {**form, "consent_at": clock.now().isoformat(), "consent_version": "2026-11"}

    def post(path: str, body: dict[str, Any], key: str, who: str | None = None, bearer: str | None = None) -> Any:
        return walk.client.http.post(path, body=json.dumps(body), headers={**walk.headers(who, write=True, key=key),
                                                                           **_bearer(bearer)})

    taken = post("/enrolments", {**form, "email": "t@example.nl", "consent": True}, "w-taken", "acct-seat")
    if taken.status_code != 201:
        raise LookupError(f"the run's one seat could not be taken: {taken.body!r}")
    first = walk.send("waiting_join", "POST", "/waiting", {**form, "email": "w0@example.nl", "consent": True},
                      who="acct-0", idempotency="w-0", expect=201).json_body
    leaving = post("/waiting", {**form, "email": "w1@example.nl", "consent": True}, "w-1", "acct-1").json_body
    lms_place = walk.send("lms_waiting_join", "POST", "/lms/waiting", {**lms_form, "email": "lw0@bzk.nl"}, key=lms,
                          idempotency="lw-0", expect=201).json_body
    lms_leaving = post("/lms/waiting", {**lms_form, "email": "lw1@bzk.nl"}, "lw-1", bearer=lms).json_body
    walk.get("my_waiting", "/me/waiting", who="acct-0")
    walk.get("lms_waiting_place", f"/lms/waiting/{lms_place['place_id']}", key=lms)
    walk.send("waiting_leave", "POST", f"/waiting/{leaving['place_id']}/leave", who="acct-1")
    walk.send("lms_waiting_leave", "POST", f"/lms/waiting/{lms_leaving['place_id']}/leave", key=lms)
    walk.get("admin_waiting", f"/admin/waiting?course_id={course}&execution_id=r1", who="acct-cfb")
    walk.get("supplier_waiting", "/supplier/waiting", key=world["supplier_key"])
    walk.send("admin_cancel", "POST", f"/admin/enrolments/{taken.json_body['enrolment_id']}/cancel", who="acct-cfb")
    walk.send("waiting_offer_post", "POST", f"/waiting/{first['place_id']}/offer", {"decision": "decline"},
              who="acct-0")
    offered = place_of(lms_place["place_id"])
    if offered is None or offered.status != "offered":
        raise LookupError("the declined seat was not offered to the next waiting person")
    token = waiting.offer_token(offered)
    walk.get("offer_get", f"/offers/{token}")
    walk.send("offer_post", "POST", f"/offers/{token}", {"decision": "accept"})


def _search_lists(walk: Walk) -> None:
    """CFB's synonym and translation lists (R_CAT_07): a save publishes a new index build."""
    lists = walk.get("admin_search_lists", "/admin/search-lists", who="acct-cfb").json_body
    synonyms = lists["synonyms"]
    walk.send("admin_synonyms_put", "PUT", "/admin/search-lists/synonyms",
              {"groups": [*synonyms["groups"], ["webinar", "online sessie"]], "version": synonyms["version"]},
              who="acct-cfb")
    translations = walk.client.http.get("/admin/search-lists", headers=walk.headers("acct-cfb")).json_body[
        "translations"]
    walk.send("admin_translations_put", "PUT", "/admin/search-lists/translations",
              {"entries": [*translations["entries"], {"en": ["webinar"], "nl": ["online sessie"]}],
               "version": translations["version"]}, who="acct-cfb")


def _directory(walk: Walk) -> None:
    """CFB's EDU-DEX connection, a supplier mapped to its orgUnitId, and the directory's webhook (R_DEX)."""
    from chalicelib.directory import hooks

    walk.send("admin_directory_connection_create", "POST", "/admin/directory/connections",
              {"connection_id": "edudex", "name": "EDU-DEX", "base_url": "https://api.edudex.nl/data/v1",
               "org_unit_id": "leer-rijk", "catalog_id": "7d0f3a52-1c1e-4f0e-9d6a-3c2b1a0f9e84",
               "catalog_kind": "dynamic"}, who="acct-cfb",
              expect=201)
    walk.send("admin_directory_connection_patch", "PATCH", "/admin/directory/connections/edudex",
              {"name": "EDU-DEX Rijksoverheid"}, who="acct-cfb")
    walk.get("admin_directory", "/admin/directory", who="acct-cfb")
    walk.send("admin_directory_sync", "POST", "/admin/directory/connections/edudex/sync", who="acct-cfb",
              expect=202)
    walk.send("admin_supplier_directory", "PUT", "/admin/suppliers/sup-new/directory", {"org_unit_id": "sup-new-ou"},
              who="acct-cfb")
    walk.get("admin_directory_held", "/admin/directory/held?org_unit_id=sup-new-ou", who="acct-cfb")
    secret = hooks.new_secret("edudex")
    walk.send("directory_hook", "POST", f"/directory/hooks/{secret}", expect=202)


def _leaving(walk: Walk) -> None:
    walk.send("me_delete", "DELETE", "/me", who="acct-leaver")


def _statement_version() -> str:
    from chalicelib.platform.config import settings

    return str(settings.privacy_statement_version)


def _link_token(address: str) -> str:
    """The one-time token of the newest link mailed to `address` (moto's SES keeps the sent mail)."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    mails = ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].sent_messages
    body = next(m.body for m in reversed(mails) if address in m.destinations.get("ToAddresses", []))
    found = re.search(r"#token=([A-Za-z0-9_-]+)", body)
    if found is None:
        raise LookupError(f"no link in the mail to {address}")
    return found.group(1)


def _program(supplier_id: str, program_id: str, name: str) -> dict[str, Any]:
    from chalicelib.platform import clock
    from devstack.edudex_builder import Run, program

    start = clock.today() + timedelta(days=40)
    return program(supplier_id, program_id, name, "Kort", "Lang", runs=[Run("r1", start, start, "Utrecht", seats=20)])
