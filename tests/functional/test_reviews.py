"""R_REV_01-04, R_ACC_08/09, R_LOG_01: reviews through the routes, with real sessions and API keys."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib import jobs
from chalicelib.models import Counter, Enrolment, Review, ReviewGuard
from chalicelib.platform import clock, eventlog
from chalicelib.reviews import rules
from chalicelib.reviews.use_cases import INVITE_STATE
from chalicelib.suppliers import apikeys
from tests.functional import enrolment_fixtures as fx
from tests.functional.conftest import sent_mail
from tests.functional.helpers import bearer, outbox_left
from tests.functional.test_acc_support import call, seed_account, start_session

TOTP = "JBSWY3DPEHPK3PXP"
ORG, OTHER_ORG = "org-bzk", "org-fin"


@dataclass
class ReviewWorld:
    course_id: str
    execution_id: str
    supplier_key: str
    end: date

    def after_end(self, days: int = 2) -> None:
        clock.freeze(datetime.combine(self.end + timedelta(days=days), datetime.min.time(), UTC) + timedelta(hours=10))


PEOPLE = {
    "author": ("acc-author", "anna.auteur@minbzk.nl", "Anna", "Auteur", [], ORG),
    "reader": ("acc-reader", "rob.lezer@minbzk.nl", "Rob", "Lezer", [], ORG),
    "local_admin": ("acc-la", "lia.beheer@minbzk.nl", "Lia", "Beheer", [("local_admin", ORG, None)], ORG),
    "other_admin": ("acc-la-fin", "fenna.beheer@minfin.nl", "Fenna", "Fin", [("local_admin", OTHER_ORG, None)],
                    OTHER_ORG),
    "cfb": ("acc-cfb", "carmen.visser@minbzk.nl", "Carmen", "Visser", [("cfb", None, None)], ORG),
}


def session(role: str) -> str:
    account_id, _, _, _, roles, _ = PEOPLE[role]
    return start_session(account_id, level=2 if roles else 1)


def enrol(client, world_course: fx.World, account_id: str, email: str, key: str) -> str:
    response = call(client, "POST", "/enrolments", start_session(account_id),
                    fx.form(world_course, email=email), headers={"Idempotency-Key": key})
    assert response.status_code == 201, response.body
    return response.json_body["enrolment_id"]


@pytest.fixture
def world(client, frozen_clock) -> ReviewWorld:
    fx.organisation(ORG)
    fx.organisation(OTHER_ORG, domains=("minfin.nl",), codes=("FIN",))
    for account_id, email, first, last, roles, org in PEOPLE.values():
        seed_account(account_id, email, org_id=org, roles=roles, first_name=first, last_name=last,
                     totp_secret=TOTP if roles else None)
    published = fx.publish(client, seats=20, start_in_days=20)
    enrol(client, published, "acc-author", "anna.auteur@minbzk.nl", "k-author")
    key = apikeys.create_key("supplier", published.supplier_id).token
    end = date.today() + timedelta(days=21)
    return ReviewWorld(published.course_id, published.execution_id, key, end)


def write(client, world: ReviewWorld, token: str, **body) -> object:
    payload = {"rating": 4, "text": "Goede opleiding, veel geleerd.", **body}
    return call(client, "POST", f"/courses/{world.course_id}/reviews", token, payload)


def summary_of(client, world: ReviewWorld) -> dict:
    return call(client, "GET", f"/courses/{world.course_id}").json_body["rating"]


def recount(course_id: str) -> dict:
    return rules.recount(int(r.rating) for r in Review.scan() if r.course_id == course_id).as_view()


# --- R_REV_01: who may review ------------------------------------------------------------------------------


def test_R_REV_01_only_someone_who_followed_the_execution_reviews_it_once(client, world):
    early = write(client, world, session("author"))
    assert early.status_code == 403 and early.json_body["error"]["code"] == "not_followed"  # not ended yet
    world.after_end()
    never = write(client, world, session("reader"))
    assert never.status_code == 403 and never.json_body["error"]["code"] == "not_followed"
    first = write(client, world, session("author"), rating=5)
    assert first.status_code == 201, first.body
    again = write(client, world, session("author"), rating=1)
    assert again.status_code == 409 and again.json_body["error"]["code"] == "already_reviewed"
    assert [int(r.rating) for r in Review.scan()] == [5]
    assert ReviewGuard.count() == 1
    assert summary_of(client, world) == {"count": 1, "average": 5.0,
                                         "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}}


def test_R_REV_01_R_UI_03_the_course_page_offers_the_form_only_to_who_may_write(client, world):
    """No dead end: the first page of reviews says whether this reader may write, so the portal shows the
    form, the way to their review, or why not yet, instead of a form that ends in a 403."""
    def writing(who: str, cursor: str | None = None) -> str | None:
        path = f"/courses/{world.course_id}/reviews" + (f"?cursor={cursor}" if cursor else "")
        response = call(client, "GET", path, session(who))
        assert response.status_code == 200
        return response.json_body.get("writing")

    assert writing("author") == "not_followed"  # enrolled, but the run has not ended
    assert "writing" not in call(client, "GET", f"/courses/{world.course_id}/reviews").json_body  # visitor
    world.after_end()
    assert writing("author") == "open" and writing("reader") == "not_followed"
    assert write(client, world, session("author")).status_code == 201
    assert writing("author") == "already_reviewed"
    assert writing("reader") == "not_followed" and write(client, world, session("reader")).status_code == 403


def test_R_REV_01_a_cancelled_enrolment_or_a_run_cancelled_by_the_supplier_does_not_count(client, world):
    published = fx.World(world.course_id, world.execution_id, "sup-a")
    enrolment_id = enrol(client, published, "acc-reader", "rob.lezer@minbzk.nl", "k-reader")
    cancelled = call(client, "POST", f"/enrolments/{enrolment_id}/cancel", start_session("acc-reader"))
    assert cancelled.status_code == 200
    world.after_end()
    refused = write(client, world, session("reader"))
    assert refused.status_code == 403 and refused.json_body["error"]["code"] == "not_followed"
    from chalicelib.models import Execution

    Execution(world.course_id, world.execution_id).update(actions=[Execution.status.set("cancelled")])
    refused = write(client, world, session("author"))
    assert refused.status_code == 403 and Review.count() == 0


def test_R_REV_01_eligibility_is_a_key_lookup_not_a_scan(client, world):
    """The conftest hook fails any Scan in a route; here we also count the reads of one review write."""
    from tests.functional.conftest import calls

    world.after_end()
    token = session("author")
    calls.clear()
    assert write(client, world, token).status_code == 201
    assert calls["Scan"] == 0
    assert calls["Query"] <= 2  # the account's enrolments (filtered to the course) and nothing else


def test_R_CAT_02_R_REV_01_a_course_the_caller_may_not_see_answers_as_one_that_does_not_exist(client, world):
    """Course ids can be computed: every review route answers a restricted course exactly as a missing one."""
    restricted = fx.publish(client, supplier_id="sup-b", program_id="P-2", open_for=["BZK"])
    seed_account("acc-fin", "fien.fin@minfin.nl", org_id=OTHER_ORG)
    outsider = start_session("acc-fin")
    routes = [("POST", "/courses/{}/reviews", outsider, {"rating": 4, "text": "Goed."}),
              ("GET", "/courses/{}/reviews", outsider, None),
              ("GET", "/admin/reviews?course_id={}", session("other_admin"), None)]
    for method, path, token, body in routes:
        hidden = call(client, method, path.format(restricted.course_id), token, body)
        missing = call(client, method, path.format("c0000000000000000"), token, body)
        assert hidden.status_code == missing.status_code == 404, (path, hidden.body)
        assert hidden.json_body == missing.json_body, path
    assert Review.count() == 0
    # the course's own organisation sees it: not followed is then the honest answer
    insider = call(client, "POST", f"/courses/{restricted.course_id}/reviews", session("reader"),
                   {"rating": 4, "text": "Goed."})
    assert insider.status_code == 403 and insider.json_body["error"]["code"] == "not_followed"


# --- R_REV_02: what a review holds ---------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [
    ("rating", 0), ("rating", 6), ("rating", "5"), ("rating", True), ("rating", 4.5),
    ("text", ""), ("text", "   "), ("text", "x" * (rules.MAX_TEXT + 1)), ("text", "nul\x00teken"),
    ("text", "bel\x07"), ("text", "niet\ufffe"), ("text", "niet\ufdd0"), ("text", "vlak\U0001fffe"),
    ("text", "scheiding\u2028"), ("named", "ja"), ("author", "iemand"),
])
def test_R_REV_02_bad_rating_or_text_is_400_naming_the_field_and_stores_nothing(client, world, field, value):
    world.after_end()
    response = write(client, world, session("author"), **{field: value})
    assert response.status_code == 400, response.body
    assert field in response.json_body["error"]["fields"]
    assert Review.count() == 0 and ReviewGuard.count() == 0
    assert summary_of(client, world)["count"] == 0


def test_R_REV_02_text_keeps_line_breaks_and_is_stored_as_plain_text(client, world):
    world.after_end()
    text = "Eerste regel\r\nTweede <b>regel</b> & meer"
    response = write(client, world, session("author"), text=text)
    assert response.status_code == 201
    assert Review.get(response.json_body["review_id"]).text == "Eerste regel\nTweede <b>regel</b> & meer"


INVISIBLE = "Gebruik geen stuurtekens of onzichtbare tekens in uw review."
EMPTY = "Schrijf een korte toelichting bij uw beoordeling."


@pytest.mark.parametrize(("text", "message"), [
    ("\ufeff\u200b", INVISIBLE), ("\u202e", INVISIBLE), ("\u202aGoed\u202c", INVISIBLE),
    ("\u2066\u2069", INVISIBLE), ("Goed\u2067 slecht\u2069", INVISIBLE), ("\u2060", INVISIBLE),
    ("\u200e", INVISIBLE), ("\u00ad", INVISIBLE),
    ("\u200d", EMPTY), ("\u200c \u200d", EMPTY), ("\u3164", EMPTY), ("\u2800\ufe0f", EMPTY),
])
def test_R_REV_02_a_text_of_invisible_characters_is_refused_as_promised(client, world, text, message):
    """The message promises "geen stuurtekens of onzichtbare tekens": bidi overrides, isolates, zero-width
    and other format characters are refused, and a text that shows nothing counts as empty."""
    world.after_end()
    response = write(client, world, session("author"), text=text)
    assert response.status_code == 400, response.body
    assert response.json_body["error"]["fields"]["text"] == message
    assert Review.count() == 0 and ReviewGuard.count() == 0


def test_R_REV_02_emoji_are_welcome(client, world):
    """Emoji with skin tones, zero-width joiners, flags and variation selectors are text, not stuurtekens."""
    world.after_end()
    text = "Top! 👍🏽 Voor elke 👩‍💻 in 🇳🇱 ❤️ 🏴󠁧󠁢󠁳󠁣󠁴󠁿"
    written = write(client, world, session("author"), text=text)
    assert written.status_code == 201, written.body
    assert [r["text"] for r in call(client, "GET", "/me/reviews", session("author")).json_body["items"]] == [text]


# --- R_REV_02/R_REV_03: who sees what --------------------------------------------------------------------------


def _everything_seen(client, world: ReviewWorld) -> dict[str, dict]:
    """What each viewer gets of the course's reviews, through their own route."""
    course = world.course_id
    return {
        "visitor": call(client, "GET", f"/courses/{course}/reviews").json_body,
        "employee": call(client, "GET", f"/courses/{course}/reviews", session("reader")).json_body,
        "author": call(client, "GET", "/me/reviews", session("author")).json_body,
        "supplier": client.http.get("/supplier/reviews", headers=bearer(world.supplier_key)).json_body,
        "local_admin": call(client, "GET", f"/admin/reviews?course_id={course}", session("local_admin")).json_body,
        "cfb": call(client, "GET", f"/admin/reviews?course_id={course}", session("cfb")).json_body,
    }


def reviewed_by_others(client, world: ReviewWorld, count: int, named: bool = False) -> list[str]:
    """`count` more participants of the run (seeded, enrolled while it was open) who review it once it ended."""
    published = fx.World(world.course_id, world.execution_id, "sup-a")
    people = [(f"acc-p{n}", f"p{n}@minbzk.nl") for n in range(count)]
    for n, (account_id, email) in enumerate(people):
        seed_account(account_id, email, org_id=ORG, first_name="Pim", last_name=f"Deelnemer{n}")
        enrol(client, published, account_id, email, f"k-{account_id}")
    world.after_end()
    return [write(client, world, start_session(account_id), rating=4, text=f"Review {n}.", named=named)
            .json_body["review_id"] for n, (account_id, _) in enumerate(people)]


@pytest.mark.parametrize("named", [False, True])
def test_R_REV_02_R_REV_03_visibility_matrix(client, world, named):
    """Among three reviews (R_REV_03's threshold), what each role reads of one of them."""
    reviewed_by_others(client, world, 2)
    written = write(client, world, session("author"), rating=3, text="Nuttig maar lang.", named=named)
    assert written.status_code == 201
    review_id = written.json_body["review_id"]
    seen = _everything_seen(client, world)

    # visitors: the summary only (also on the course page)
    assert seen["visitor"]["items"] == [] and seen["visitor"]["texts_visible"] is False
    assert seen["visitor"]["summary"]["count"] == 3 and seen["visitor"]["summary"]["average"] == 3.7
    assert call(client, "GET", f"/courses/{world.course_id}").json_body["rating"]["count"] == 3

    by_viewer = {viewer: [i for i in seen[viewer]["items"] if i["review_id"] == review_id]
                 for viewer in ("employee", "author", "supplier", "local_admin", "cfb")}
    for viewer, items in by_viewer.items():
        assert [i["text"] for i in items] == ["Nuttig maar lang."], viewer
        assert [i["rating"] for i in items] == [3], viewer
    expected_author = {"first_name": "Anna", "last_name": "Auteur"} if named else None
    for viewer in ("employee", "author", "local_admin", "cfb"):
        assert by_viewer[viewer][0]["author"] == expected_author, viewer
    assert "author" not in by_viewer["supplier"][0] and "named" not in by_viewer["supplier"][0]

    # an anonymous review names nobody anywhere; a named one only first and last name, never to the supplier
    for viewer, body in seen.items():
        text = json.dumps(body)
        assert "acc-author" not in text and "anna.auteur" not in text, viewer
        if not named or viewer in ("visitor", "supplier"):
            assert "Anna" not in text and "Auteur" not in text, viewer


def _readers(client, world: ReviewWorld) -> dict[str, dict]:
    """What each reader gets through its own route: the supplier's API, the admin routes, the course page."""
    course = world.course_id
    admin_on_page = start_session("acc-cfb", level=1)  # CFB's account, before its second factor
    return {
        "supplier": client.http.get("/supplier/reviews", headers=bearer(world.supplier_key)).json_body,
        "local_admin": call(client, "GET", f"/admin/reviews?course_id={course}", session("local_admin")).json_body,
        "cfb": call(client, "GET", f"/admin/reviews?course_id={course}", session("cfb")).json_body,
        "cfb_all": call(client, "GET", "/admin/reviews", session("cfb")).json_body,
        "local_admin_page": call(client, "GET", f"/courses/{course}/reviews", session("local_admin")).json_body,
        "cfb_page": call(client, "GET", f"/courses/{course}/reviews", admin_on_page).json_body,
        "employee_page": call(client, "GET", f"/courses/{course}/reviews", session("reader")).json_body,
    }


def test_R_REV_03_suppliers_and_admins_read_anonymous_reviews_only_among_three(client, world):
    """With two anonymous reviews, the supplier, the local admin and CFB (admin routes and the course page)
    get the summary and no review; with three, the reviews. Employees read them from the first one."""
    reviewed_by_others(client, world, 2)
    two = _readers(client, world)
    for reader in ("supplier", "local_admin", "cfb", "cfb_all", "local_admin_page", "cfb_page"):
        assert two[reader]["items"] == [], reader
        assert "Review 0." not in json.dumps(two[reader]), reader
    for reader in ("local_admin", "cfb"):
        assert two[reader]["summary"]["count"] == 2 and two[reader]["withheld"] == 2, reader
    assert two["cfb_page"]["summary"]["count"] == 2 and two["cfb_page"]["withheld"] == 2
    assert two["supplier"]["withheld"] == [{"course_id": world.course_id, "program_id": "P-1",
                                            "summary": two["cfb"]["summary"]}]
    assert sorted(i["text"] for i in two["employee_page"]["items"]) == ["Review 0.", "Review 1."]

    assert write(client, world, session("author"), rating=2, text="De derde.").status_code == 201
    three = _readers(client, world)
    for reader in ("supplier", "local_admin", "cfb", "cfb_all", "local_admin_page", "cfb_page", "employee_page"):
        assert sorted(i["text"] for i in three[reader]["items"]) == ["De derde.", "Review 0.", "Review 1."], reader
    assert three["supplier"]["withheld"] == [] and three["cfb"]["withheld"] == 0


def test_R_REV_03_named_reviews_are_read_by_admins_at_once_but_anonymised_to_the_supplier_only_among_three(
        client, world):
    reviewed_by_others(client, world, 2, named=True)
    seen = _readers(client, world)
    for reader in ("local_admin", "cfb", "cfb_page"):
        assert sorted(i["author"]["last_name"] for i in seen[reader]["items"]) == ["Deelnemer0", "Deelnemer1"], reader
    assert seen["supplier"]["items"] == []  # to a supplier every review is anonymous


def test_R_REV_03_the_day_of_an_anonymous_review_is_shown_only_to_its_author(client, world):
    """The day a review was written points to the run its author followed: others see the month."""
    reviewed_by_others(client, world, 2)
    written = write(client, world, session("author"), text="Mijn review.")
    day, month = clock.now().isoformat(), clock.now().strftime("%Y-%m")
    mine = call(client, "GET", "/me/reviews", session("author")).json_body["items"][0]
    assert (mine["created_at"], mine["updated_at"]) == (day, day) == (written.json_body["created_at"],) * 2
    own_on_page = [i for i in call(client, "GET", f"/courses/{world.course_id}/reviews", session("author"))
                   .json_body["items"] if i["text"] == "Mijn review."]
    assert own_on_page[0]["created_at"] == day
    seen = {**_readers(client, world), **_everything_seen(client, world)}
    for reader in ("supplier", "local_admin", "cfb", "cfb_page", "employee", "employee_page"):
        items = seen[reader]["items"]
        assert len(items) == 3 and {(i["created_at"], i["updated_at"]) for i in items} == {(month, month)}, reader
        assert day[:10] not in json.dumps(seen[reader]), reader


def test_R_REV_03_R_LOG_01_review_events_point_to_no_one(client, world):
    """Review events carry what happened and who acted (author or CFB), never an account, the review or its
    course: beside a login or an account's deletion they cannot say who wrote what. Deleting the account
    deletes its reviews without a review event of its own."""
    world.after_end()
    token = session("author")
    review_id = write(client, world, token, text="Anoniem.").json_body["review_id"]
    call(client, "PATCH", f"/reviews/{review_id}", token, {"text": "Nog steeds anoniem."})
    call(client, "PATCH", f"/reviews/{review_id}", session("cfb"), {"text": "[ingekort]"})
    assert call(client, "DELETE", "/me", token).status_code == 200
    entries = eventlog.recent()
    reviews = [e["detail"] for e in entries if e["kind"] == "review"]
    assert sorted(map(sorted, (d.items() for d in reviews))) == sorted(map(sorted, (
        {"outcome": "written", "reason": "author"}.items(), {"outcome": "changed", "reason": "author"}.items(),
        {"outcome": "changed", "reason": "cfb"}.items())))
    assert Review.count() == 0
    everything = json.dumps(entries)
    assert review_id not in everything and world.course_id not in json.dumps(reviews)
    assert "acc-author" not in json.dumps(reviews)


def test_R_REV_04_cfb_moderates_the_text_and_never_the_stars(client, world):
    world.after_end()
    review_id = write(client, world, session("author"), rating=2).json_body["review_id"]
    refused = call(client, "PATCH", f"/reviews/{review_id}", session("cfb"), {"rating": 5, "text": "Beter."})
    assert refused.status_code == 403, refused.body
    assert refused.json_body["error"]["code"] == "rating_is_authors_choice"
    assert list(refused.json_body["error"]["fields"]) == ["rating"]
    stored = Review.get(review_id)
    assert (int(stored.rating), stored.text) == (2, "Goede opleiding, veel geleerd.")
    moderated = call(client, "PATCH", f"/reviews/{review_id}", session("cfb"), {"text": "[ingekort door CFB]"})
    assert moderated.status_code == 200 and moderated.json_body["rating"] == 2


def test_R_REV_03_local_admins_read_only_courses_their_organisation_sees(client, world):
    world.after_end()
    assert write(client, world, session("author"), named=True).status_code == 201
    other = call(client, "GET", f"/admin/reviews?course_id={world.course_id}", session("other_admin"))
    assert other.status_code == 200 and len(other.json_body["items"]) == 1  # an open course: everyone sees it
    assert other.json_body["can_moderate"] is False
    restricted = fx.publish(client, supplier_id="sup-b", program_id="P-2", open_for=["BZK"])
    listing = call(client, "GET", f"/admin/reviews?course_id={restricted.course_id}", session("other_admin"))
    assert listing.status_code == 404
    everything = call(client, "GET", "/admin/reviews", session("cfb")).json_body
    assert everything["can_moderate"] is True and len(everything["items"]) == 1


def test_R_REV_03_supplier_reads_only_its_own_courses_paginated_and_since(client, world):
    other = fx.World(world.course_id, world.execution_id, "sup-a")
    accounts = [(f"acc-p{i}", f"p{i}@minbzk.nl") for i in range(5)]
    for account_id, email in accounts:
        seed_account(account_id, email, org_id=ORG)
        enrol(client, other, account_id, email, f"k-{account_id}")
    foreign = fx.publish(client, supplier_id="sup-b", program_id="P-9")
    world.after_end()
    for n, (account_id, _) in enumerate(accounts):
        clock.freeze(clock.now() + timedelta(minutes=1))
        assert write(client, world, start_session(account_id), rating=1 + n).status_code == 201
    middle = clock.now() - timedelta(seconds=90)
    seen, cursor = [], None
    while True:
        path = "/supplier/reviews?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.http.get(path, headers=bearer(world.supplier_key)).json_body
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [i["rating"] for i in seen] == [1, 2, 3, 4, 5]  # oldest change first, no repeats
    assert {i["program_id"] for i in seen} == {"P-1"}
    recent = client.http.get(f"/supplier/reviews?since={middle.isoformat().replace('+00:00', 'Z')}",
                             headers=bearer(world.supplier_key)).json_body
    assert [i["rating"] for i in recent["items"]] == [4, 5]
    other_key = apikeys.create_key("supplier", "sup-b").token
    assert client.http.get("/supplier/reviews", headers=bearer(other_key)).json_body["items"] == []
    assert foreign.course_id != world.course_id
    tampered = client.http.get("/supplier/reviews?cursor=abc", headers=bearer(world.supplier_key))
    assert tampered.status_code == 400


# --- R_REV_04: changing and deleting ------------------------------------------------------------------------------


def test_R_REV_04_author_and_cfb_change_and_delete_nobody_else(client, world):
    world.after_end()
    review_id = write(client, world, session("author"), rating=2).json_body["review_id"]
    for role in ("reader", "local_admin", "other_admin"):
        token = session(role)
        assert call(client, "PATCH", f"/reviews/{review_id}", token, {"rating": 5}).status_code == 404, role
        assert call(client, "DELETE", f"/reviews/{review_id}", token).status_code == 404, role
    assert int(Review.get(review_id).rating) == 2

    changed = call(client, "PATCH", f"/reviews/{review_id}", session("author"),
                   {"rating": 4, "text": "Bij nader inzien goed.", "named": True})
    assert changed.status_code == 200, changed.body
    assert changed.json_body["author"] == {"first_name": "Anna", "last_name": "Auteur"}
    assert changed.json_body["edited"] is True
    assert summary_of(client, world)["average"] == 4.0

    call(client, "PATCH", f"/reviews/{review_id}", session("author"), {"named": False})
    unmasking = call(client, "PATCH", f"/reviews/{review_id}", session("cfb"), {"named": True})
    assert unmasking.status_code == 403 and unmasking.json_body["error"]["code"] == "named_is_authors_choice"
    assert Review.get(review_id).named is False  # CFB can never make an anonymous review name its author
    moderated = call(client, "PATCH", f"/reviews/{review_id}", session("cfb"), {"text": "[verwijderd door CFB]"})
    assert moderated.status_code == 200 and moderated.json_body["text"] == "[verwijderd door CFB]"
    assert call(client, "PATCH", f"/reviews/{review_id}", session("author"), {}).status_code == 400

    assert call(client, "DELETE", f"/reviews/{review_id}", session("cfb")).status_code == 200
    assert Review.count() == 0 and ReviewGuard.count() == 0
    assert summary_of(client, world) == {"count": 0, "average": None,
                                         "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}}
    # deleted: the author may write a new one
    assert write(client, world, session("author")).status_code == 201


def test_R_REV_04_a_cfb_account_without_second_factor_is_only_an_author(client, world):
    world.after_end()
    review_id = write(client, world, session("author")).json_body["review_id"]
    level_one = start_session("acc-cfb", level=1)
    assert call(client, "DELETE", f"/reviews/{review_id}", level_one).status_code == 404
    assert Review.count() == 1


def test_R_REV_04_the_author_deletes_from_my_reviews(client, world):
    world.after_end()
    token = session("author")
    write(client, world, token, rating=1)
    mine = call(client, "GET", "/me/reviews", token).json_body["items"]
    assert len(mine) == 1 and mine[0]["course_name"] == "Projectmatig werken" and mine[0]["author"] is None
    assert call(client, "DELETE", f"/reviews/{mine[0]['review_id']}", token).status_code == 200
    assert call(client, "GET", "/me/reviews", token).json_body["items"] == []
    assert call(client, "DELETE", f"/reviews/{mine[0]['review_id']}", token).status_code == 404


def test_R_REV_02_R_REV_04_summary_stays_exact_after_random_writes_edits_and_deletions(client, world):
    """Seeded random sequence through the routes; after every step the summary equals a recount."""
    published = fx.World(world.course_id, world.execution_id, "sup-a")
    people = [(f"acc-r{i}", f"r{i}@minbzk.nl") for i in range(8)]
    # CFB moderates the text (R_REV_04), the stars are the author's
    for account_id, email in people:
        seed_account(account_id, email, org_id=ORG)
        enrol(client, published, account_id, email, f"k-{account_id}")
    world.after_end()
    tokens = {account_id: start_session(account_id) for account_id, _ in people}
    cfb = session("cfb")
    rng = random.Random(1302)
    written: dict[str, str] = {}
    for step in range(60):
        account_id = rng.choice([a for a, _ in people])
        action = rng.choice(["write", "write", "edit", "delete", "cfb_edit", "cfb_delete"])
        review_id = written.get(account_id)
        if action == "write" or review_id is None:
            response = write(client, world, tokens[account_id], rating=rng.randint(1, 5))
            assert response.status_code == (409 if review_id else 201), (step, response.body)
            if review_id is None:
                written[account_id] = response.json_body["review_id"]
        elif action == "edit":
            response = call(client, "PATCH", f"/reviews/{review_id}", tokens[account_id],
                            {"rating": rng.randint(1, 5)})
            assert response.status_code == 200, (step, response.body)
        elif action == "cfb_edit":
            response = call(client, "PATCH", f"/reviews/{review_id}", cfb, {"text": f"Gemodereerd {step}."})
            assert response.status_code == 200, (step, response.body)
        else:
            token = tokens[account_id] if action == "delete" else cfb
            assert call(client, "DELETE", f"/reviews/{review_id}", token).status_code == 200, step
            del written[account_id]
        assert summary_of(client, world) == recount(world.course_id), step
    assert Review.count() == len(written) == ReviewGuard.count()
    assert Counter.get(f"rating:{world.course_id}").value == len(written)


def test_R_REV_02_concurrent_writes_keep_the_summary_exact(client, world, dynamodb_lock):
    """Writers of one course race on the summary; each retries on its version, none is lost."""
    from concurrent.futures import ThreadPoolExecutor

    from chalicelib.access import Access, CallerKind, Principal
    from chalicelib.reviews import use_cases
    from chalicelib.reviews.schemas import ReviewCreate

    published = fx.World(world.course_id, world.execution_id, "sup-a")
    people = [f"acc-c{i}" for i in range(6)]
    for account_id in people:
        seed_account(account_id, f"{account_id}@minbzk.nl", org_id=ORG)
        enrol(client, published, account_id, f"{account_id}@minbzk.nl", f"k-{account_id}")
    world.after_end()

    def one(n: int) -> None:
        principal = Principal(CallerKind.ACCOUNT, people[n], ORG, frozenset({Access.EMPLOYEE}))
        use_cases.write(principal, None, world.course_id, ReviewCreate(rating=1 + n % 5, text="Tegelijk."))

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(one, range(6)))
    assert Review.count() == 6
    assert summary_of(client, world) == recount(world.course_id)


def _principal(account_id: str, cfb: bool = False):
    from chalicelib.access import Access, CallerKind, Principal

    audiences = {Access.EMPLOYEE, Access.CFB} if cfb else {Access.EMPLOYEE}
    return Principal(CallerKind.ACCOUNT, account_id, ORG, frozenset(audiences))


def _after_first_read_of(review_id: str, monkeypatch, competitor) -> None:
    """A competing write commits between this request's read of the review and its own write
    (ARCHITECTURE "Testing on moto": the deterministic interleaving)."""
    original = Review.get
    done = []

    def get(cls, hash_key, *args, **kwargs):
        found = original(hash_key, *args, **kwargs)
        if hash_key == review_id and not done:
            done.append(True)
            competitor()
        return found

    monkeypatch.setattr(Review, "get", classmethod(get))


def test_R_SEC_02_R_REV_04_a_change_made_meanwhile_in_another_tab_is_a_409_never_a_500(client, world, monkeypatch):
    """The author changes the rating in two tabs: the second tab read the review before the first one's
    change committed. It gets 409 `changed`, nothing of it is stored, and the summary stays a recount."""
    from chalicelib.reviews import use_cases
    from chalicelib.reviews.schemas import ReviewPatch

    world.after_end()
    review_id = write(client, world, session("author"), rating=5).json_body["review_id"]
    other_tab = lambda: use_cases.change(_principal("acc-author"), review_id, ReviewPatch(rating=1))  # noqa: E731
    _after_first_read_of(review_id, monkeypatch, other_tab)
    late = call(client, "PATCH", f"/reviews/{review_id}", session("author"), {"rating": 3, "text": "Toch redelijk."})
    assert late.status_code == 409, late.body
    assert late.json_body["error"]["code"] == "changed"
    stored = Review.get(review_id)
    assert (int(stored.rating), stored.text, int(stored.version)) == (1, "Goede opleiding, veel geleerd.", 2)
    assert summary_of(client, world) == recount(world.course_id) == {
        "count": 1, "average": 1.0, "distribution": {"1": 1, "2": 0, "3": 0, "4": 0, "5": 0}}


def test_R_SEC_02_R_ACC_08_deleting_the_account_while_a_review_changes_deletes_it_as_it_is_then(
        client, world, monkeypatch):
    """Account deletion reads the author's review; the author's other tab changes its rating before the
    deletion writes. The deletion still succeeds, the review and its guard are gone, the summary is exact."""
    from chalicelib.reviews import use_cases
    from chalicelib.reviews.schemas import ReviewPatch

    world.after_end()
    token = session("author")
    review_id = write(client, world, token, rating=5).json_body["review_id"]
    other_tab = lambda: use_cases.change(_principal("acc-author"), review_id, ReviewPatch(rating=2))  # noqa: E731
    _after_first_read_of(review_id, monkeypatch, other_tab)
    deleted = call(client, "DELETE", "/me", token)
    assert deleted.status_code == 200, deleted.body
    assert Review.count() == 0 and ReviewGuard.count() == 0
    assert summary_of(client, world) == recount(world.course_id) == {
        "count": 0, "average": None, "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}}


def test_R_SEC_02_R_REV_04_nine_concurrent_changes_never_answer_5xx_and_keep_the_summary_exact(
        client, world, dynamodb_lock):
    """The author in two tabs, CFB at once and two other authors on the same course: 9 PATCHes at the same
    moment. Each is stored or refused with a 409 (`changed` or `busy`); none is a 5xx, and the summary
    equals a recount of what is stored."""
    from concurrent.futures import ThreadPoolExecutor

    from chalicelib.api.errors import status_of
    from chalicelib.platform.errors import DomainError
    from chalicelib.reviews import use_cases
    from chalicelib.reviews.schemas import ReviewPatch

    published = fx.World(world.course_id, world.execution_id, "sup-a")
    for account_id in ("acc-o1", "acc-o2"):
        seed_account(account_id, f"{account_id}@minbzk.nl", org_id=ORG)
        enrol(client, published, account_id, f"{account_id}@minbzk.nl", f"k-{account_id}")
    world.after_end()
    mine = write(client, world, session("author"), rating=5).json_body["review_id"]
    others = {a: write(client, world, start_session(a), rating=4).json_body["review_id"] for a in ("acc-o1", "acc-o2")}
    changes = [
        *[(_principal("acc-author"), mine, ReviewPatch(rating=r)) for r in (1, 2, 3, 4, 2, 1)],  # two tabs
        (_principal("acc-cfb", cfb=True), mine, ReviewPatch(text="[ingekort door CFB]")),
        *[(_principal(a), review_id, ReviewPatch(rating=r)) for (a, review_id), r in zip(others.items(), (1, 3))],
    ]

    def one(change) -> int:
        principal, review_id, patch = change
        try:
            use_cases.change(principal, review_id, patch)
        except DomainError as err:
            return status_of(err)
        return 200

    with ThreadPoolExecutor(max_workers=len(changes)) as pool:
        statuses = list(pool.map(one, changes))
    assert len(statuses) == 9 and set(statuses) <= {200, 409}, statuses
    assert 200 in statuses
    assert summary_of(client, world) == recount(world.course_id)
    assert Counter.get(f"rating:{world.course_id}").value == Review.count() == 3


# --- R_ACC_08 / R_ACC_09 ------------------------------------------------------------------------------------------


def test_R_ACC_08_R_ACC_09_export_lists_reviews_and_deleting_the_account_deletes_them(client, world):
    world.after_end()
    token = session("author")
    review_id = write(client, world, token, rating=5, text="Aanrader.").json_body["review_id"]
    export = call(client, "GET", "/me/export", token).json_body
    exported = export["data"]["Review"]
    assert [(e["personal"]["text"], e["context"]["rating"]) for e in exported] == [("Aanrader.", 5)]
    assert call(client, "DELETE", "/me", token).status_code == 200
    assert Review.count() == 0 and ReviewGuard.count() == 0
    assert summary_of(client, world)["count"] == 0 == recount(world.course_id)["count"]
    kinds = [e for e in eventlog.recent() if e["kind"] == "review"]
    assert [e["detail"] for e in kinds] == [{"outcome": "written", "reason": "author"}]  # R_REV_03: no pointer
    assert review_id not in json.dumps(eventlog.recent())


# --- R_LOG_01 ----------------------------------------------------------------------------------------------------


def test_R_LOG_01_review_written_changed_deleted_are_logged_without_text_or_author(client, world):
    world.after_end()
    review_id = write(client, world, session("author"), text="Geheime mening van Anna", named=True).json_body[
        "review_id"]
    call(client, "PATCH", f"/reviews/{review_id}", session("author"), {"text": "Andere mening"})
    call(client, "DELETE", f"/reviews/{review_id}", session("cfb"))
    entries = [e for e in eventlog.recent() if e["kind"] == "review"]
    assert sorted(e["detail"]["outcome"] for e in entries) == ["changed", "deleted", "written"]
    text = json.dumps(entries)
    for secret in ("Geheime", "Andere mening", "acc-author", "Anna", "anna.auteur"):
        assert secret not in text


# --- the invitation -------------------------------------------------------------------------------------------------


def _invitations() -> list:
    return [m for m in sent_mail() if "review" in m.subject.lower()]


def test_R_REV_01_invitation_after_the_end_once_and_not_for_who_reviewed_or_cancelled(client, world):
    published = fx.World(world.course_id, world.execution_id, "sup-a")
    enrol(client, published, "acc-reader", "rob.prive@example.org", "k-reader")
    seed_account("acc-gone", "gone@minbzk.nl", org_id=ORG)
    gone = enrol(client, published, "acc-gone", "gone@minbzk.nl", "k-gone")
    assert call(client, "POST", f"/enrolments/{gone}/cancel", start_session("acc-gone")).status_code == 200
    sent_mail_before = len(sent_mail())

    clock.freeze(datetime.combine(world.end, datetime.min.time(), UTC) + timedelta(hours=10))
    assert jobs.run("invite_reviews") == {"count": 0}  # the last day itself: not ended yet
    world.after_end(days=1)
    # the author reviews before the job runs: no invitation for them
    assert write(client, world, session("author")).status_code == 201
    assert jobs.run("invite_reviews") == {"count": 1}
    invitations = _invitations()
    assert len(sent_mail()) == sent_mail_before + 1 and len(invitations) == 1
    assert invitations[0].destinations["ToAddresses"] == ["rob.prive@example.org"]  # R_ENR_11: the form address
    assert f"/opleiding/?id={world.course_id}#review" in invitations[0].body
    assert jobs.run("invite_reviews") == {"count": 0}
    world.after_end(days=5)
    assert jobs.run("invite_reviews") == {"count": 0} and len(_invitations()) == 1  # idempotent
    assert outbox_left() == []


def test_R_REV_01_invitation_job_catches_up_missed_days_by_the_end_day_index(client, world):
    from tests.functional.conftest import calls

    world.after_end(days=9)  # the job did not run for nine days
    calls.clear()
    assert jobs.run("invite_reviews") == {"count": 1}
    assert calls["Scan"] == 0
    assert len(_invitations()) == 1
    enrolment = next(iter(Enrolment.scan()))
    assert enrolment.review_invited_at is not None
    assert Counter.get(INVITE_STATE).extra.as_dict()["day"] == (clock.today() - timedelta(days=1)).isoformat()


def test_R_REV_01_a_run_whose_end_its_supplier_moves_to_a_day_already_handled_is_still_invited(client, world):
    """Nothing lost: the job handled that end day before the run ended on it, so the import marks the run
    (sparse `end-moved-index`) and the next run of the job invites its participants, once."""
    clock.freeze(datetime.combine(world.end - timedelta(days=3), datetime.min.time(), UTC) + timedelta(hours=10))
    assert jobs.run("invite_reviews") == {"count": 0}  # handled every end day up to the day before
    moved = fx.publish(client, seats=20, start_in_days=14)  # it ran six days sooner: ended three days ago
    assert moved.execution_id == world.execution_id
    assert jobs.run("invite_reviews") == {"count": 1} and len(_invitations()) == 1
    assert jobs.run("invite_reviews") == {"count": 0} and len(_invitations()) == 1
    from chalicelib.models import Execution

    assert Execution.get(world.course_id, world.execution_id).end_moved is None


def test_R_REV_01_invitation_is_dropped_when_the_person_reviews_before_it_is_sent(client, world, monkeypatch):
    from chalicelib.platform import outbox

    world.after_end()
    monkeypatch.setattr(outbox, "deliver_all", lambda items: None)  # queued, not yet sent
    assert jobs.run("invite_reviews") == {"count": 1}
    assert write(client, world, session("author")).status_code == 201
    monkeypatch.undo()
    clock.freeze(clock.now() + timedelta(minutes=5))
    jobs.run("outbox_retry")
    assert _invitations() == [] and outbox_left() == []
