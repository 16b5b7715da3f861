"""Who sees what of a waiting list (R_WAIT_04): the holder their position and leaving, the LMS its own places,
CFB the lists, local admins never, the supplier only how many wait per execution (its API and the feed's
header), nothing personal."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import xmlschema
from defusedxml import ElementTree

from chalicelib.access import Access
from chalicelib.suppliers import apikeys, feeds
from tests.functional import enrolment_fixtures as fx
from tests.functional import waiting_fixtures as wf
from tests.functional.helpers import acting_as, bearer, make_supplier

XSD = Path(__file__).resolve().parents[2] / "chalicelib" / "data" / "enrolment-feed-1.0.xsd"
NS = {"lr": feeds.NAMESPACE}


@pytest.fixture
def listed(client):
    """A full run (one seat) of a feed supplier; persons 1 and 2 and an LMS participant wait."""
    fx.organisation()
    fx.organisation("org-duo", domains=("duo.nl",), codes=("BZK",))
    for i in range(3):
        wf.person(i)
    world = fx.publish(client, seats=1, delivery="feed")
    assert wf.enrol(client, world, 0).status_code == 201
    wf.join(client, world, 1)
    wf.join(client, world, 2)
    lms = apikeys.create_key("lms", wf.ORG).token
    joined = wf.lms_post(client, "/lms/waiting", lms, wf.lms_body(world, 7), key="lms-7")
    assert joined.status_code == 201 and joined.json_body["position"] == 3
    return world, lms, joined.json_body["place_id"]


def test_R_WAIT_04_the_holder_sees_the_position_and_leaves_and_nobody_else_can(client, listed):
    world, _, _ = listed
    [second] = wf.my_places(client, 2)
    assert (second["position"], second["status"], second["course_name"]) == (2, "waiting", "Projectmatig werken")
    assert wf.leave(client, second["place_id"], 1).status_code == 404  # another's place: as if it did not exist
    [first] = wf.my_places(client, 1)
    assert wf.leave(client, first["place_id"], 1).json_body == {"place_id": first["place_id"], "status": "left"}
    assert wf.my_places(client, 1) == [] and wf.my_places(client, 2)[0]["position"] == 1
    assert wf.leave(client, first["place_id"], 1).status_code == 404
    wf.invariants(world)


def test_R_WAIT_04_the_lms_sees_and_leaves_its_own_places_only(client, listed):
    world, lms, place_id = listed
    shown = client.http.get(f"/lms/waiting/{place_id}", headers=bearer(lms))
    assert shown.status_code == 200 and shown.json_body["position"] == 3
    other = apikeys.create_key("lms", "org-duo").token
    assert client.http.get(f"/lms/waiting/{place_id}", headers=bearer(other)).status_code == 404
    assert client.http.get("/lms/waiting/not-a-place", headers=bearer(lms)).status_code == 404
    assert wf.lms_post(client, f"/lms/waiting/{place_id}/leave", other, {}, key=None).status_code == 404
    assert wf.lms_post(client, f"/lms/waiting/{place_id}/leave", lms, {}, key=None).status_code == 200
    assert [p.source for p in wf.places(world)] == ["portal", "portal"]


def test_R_WAIT_04_cfb_sees_the_lists_and_local_admins_never(client, listed):
    world, _, _ = listed
    with acting_as(Access.CFB, org_id=None):
        overview = client.http.get("/admin/waiting").json_body
        one = client.http.get(f"/admin/waiting?course_id={world.course_id}&execution_id=r1").json_body
        half = client.http.get(f"/admin/waiting?course_id={world.course_id}")
    assert [(i["execution_id"], i["waiting"], i["seats_taken"]) for i in overview["items"]] == [("r1", 3, 1)]
    assert [(i["position"], i["holder"]["email"]) for i in one["items"]] == [
        (1, "p1@minbzk.nl"), (2, "p2@minbzk.nl"), (3, "lms7@minbzk.nl")]
    assert half.status_code == 400 and "execution_id" in half.json_body["error"]["fields"]
    with acting_as(Access.LOCAL_ADMIN, org_id=wf.ORG):
        refused = client.http.get("/admin/waiting")
    assert refused.status_code == 403


def test_R_WAIT_04_the_supplier_sees_only_how_many_wait_per_execution(client, listed):
    world, _, _ = listed
    supplier = apikeys.create_key("supplier", "sup-a").token
    response = client.http.get("/supplier/waiting", headers=bearer(supplier))
    assert response.status_code == 200
    assert response.json_body == {"items": [
        {"program_id": "P-1", "course_id": world.course_id, "execution_id": "r1", "waiting": 3}]}
    other = make_supplier("sup-b")
    assert client.http.get("/supplier/waiting", headers=bearer(other)).json_body == {"items": []}
    # the feed: the count in its header, no waiting person anywhere, and only the one enrolment as an entry
    url = client.http.get("/supplier/feed-url", headers=bearer(supplier)).json_body["url"]
    parts = urlsplit(url)
    query = "&".join(f"{k}={v}" for k, v in parse_qsl(parts.query))
    feed = client.http.get(parts.path.removeprefix("/api") + "?" + query)
    assert feed.status_code == 200
    xmlschema.XMLSchema(str(XSD)).validate(feed.body)
    root = ElementTree.fromstring(feed.body)
    [waiting] = root.findall("lr:waitingList", NS)
    assert dict(waiting.attrib) == {"programId": "P-1", "courseId": world.course_id, "executionId": "r1",
                                    "waiting": "3"}
    assert len(root.findall("lr:entry", NS)) == 1
    text = feed.body.decode() + json.dumps(response.json_body)
    for personal in ("Persoon1", "p1@minbzk.nl", "Persoon2", "lms7@minbzk.nl", "Lms7"):
        assert personal not in text
