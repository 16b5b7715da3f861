"""R_OPS_04 and R_CAT_07: the search index's documents evolve by migration too. A change to how
`index_doc` makes a document raises `DOC_VERSION`; a build whose documents an older version made is
rebuilt by migration 0013 when `make deploy` runs the migrations, also when new code has published a
course on it since, and a fresh index is never rebuilt for nothing. So are its vocabulary lists: a build that
carries other lists than those in force (new default lists, or a saved list whose publish failed) is rebuilt
by migration 0014.

The builds are made through the supplier's publish route; the migrations run through `python -m
tools.migrate` (what `make deploy` runs), the searches through `GET /api/courses`.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from chalicelib.access import Access
from chalicelib.catalogue import index as catalogue_index
from chalicelib.catalogue.vocabulary_rules import SearchLists, default_lists
from chalicelib.migrations import m0014_search_index_lists
from chalicelib.models import Counter, MigrationRun, plain
from devstack.edudex_builder import Run, program
from tests.functional.helpers import acting_as, bearer, make_supplier
from tests.functional.test_catalogue_search_lists import CSRF
from tools import migrate

MIGRATION_ID = f"0013-search-index-documents-v{catalogue_index.DOC_VERSION}"
Y = date.today().year + 1


def _publish(client, token: str, program_id: str, name: str, description: str) -> str:
    doc = program("sup-a", program_id, name, "Samenvatting", description,
                  runs=[Run(f"{program_id}-r1", date(Y, 3, 10), date(Y, 3, 11), "Utrecht")])
    response = client.http.put(f"/supplier/programs/{program_id}", headers=bearer(token), body=json.dumps(doc))
    assert response.status_code == 200, response.body
    return str(response.json_body["course_id"])


def _found(client, words: str) -> list[str]:
    response = client.http.get(f"/courses?q={words}")
    assert response.status_code == 200, response.body
    return [item["course_id"] for item in response.json_body["items"]]


def _pointer() -> dict:
    return plain(Counter.get(catalogue_index.COUNTER_NAME, consistent_read=True).extra)


def _as_older_code_wrote_it(course_id: str, stray_word: str, docs_field: dict) -> None:
    """Replace the current build with the same documents as an older `index_doc` made them: one document
    weighs a word the course does not have. `docs_field` is what that code's pointer states of its version
    ({} for the code before the pointer stated one)."""
    base = catalogue_index.current()
    docs = [dict(doc) for doc in base.docs]
    for doc in docs:
        if doc["id"] == course_id:
            doc["terms"] = {**doc["terms"], stray_word: 60}
    build_id, chunks = catalogue_index._write_build(docs, base.stems, catalogue_index.read_lists())
    Counter(catalogue_index.COUNTER_NAME).update(
        actions=[Counter.extra.set({"build_id": build_id, "chunks": chunks, **docs_field})])
    catalogue_index.forget_cache()


@pytest.fixture
def two_courses(client) -> tuple[str, str, str]:
    token = make_supplier("sup-a", kind="intern", name="Academie Overheid")
    meeting = _publish(client, token, "VG", "Vergaderen met resultaat", "Agenda, notulen en besluiten.")
    excel = _publish(client, token, "XL", "Excel voor beginners", "Formules en grafieken.")
    return token, meeting, excel


def test_R_OPS_04_R_CAT_07_a_search_index_older_code_made_is_rebuilt_by_the_migrations(client, two_courses,
                                                                                   monkeypatch):
    _, meeting, excel = two_courses
    version = catalogue_index.DOC_VERSION
    assert catalogue_index.docs_version(_pointer()) == version  # as this code made it
    _as_older_code_wrote_it(meeting, "oudgewicht", {})  # the code before the pointer stated a version
    monkeypatch.setattr(catalogue_index, "DOC_VERSION", version + 1)  # and this code makes documents otherwise
    assert _found(client, "oudgewicht") == [meeting]  # what the older documents say is still served

    assert migrate.main(["run", "--grace-seconds", "0"]) == 0

    assert _found(client, "oudgewicht") == []
    assert _found(client, "vergaderen") == [meeting] and _found(client, "excel") == [excel]
    assert catalogue_index.docs_version(_pointer()) == version + 1
    run = MigrationRun.get(MIGRATION_ID, consistent_read=True)
    assert (run.state, int(run.migrated), int(run.unreached)) == ("done", 1, 0)


def test_R_OPS_04_a_course_new_code_publishes_on_an_old_index_leaves_the_rest_to_the_migration(client, two_courses,
                                                                                           monkeypatch):
    """A publish changes only its own document: the build keeps the version its other documents were made
    by, so the migration still finds it (and an item written during the deploy is still migrated)."""
    token, meeting, _ = two_courses
    version = catalogue_index.DOC_VERSION
    _as_older_code_wrote_it(meeting, "oudgewicht", {"docs": version})
    monkeypatch.setattr(catalogue_index, "DOC_VERSION", version + 1)

    safety = _publish(client, token, "BH", "Bedrijfshulpverlening", "Eerste hulp en ontruimen.")
    assert catalogue_index.docs_version(_pointer()) == version  # not relabelled by the publish
    assert _found(client, "oudgewicht") == [meeting]

    assert migrate.main(["run", "--grace-seconds", "0"]) == 0
    assert _found(client, "oudgewicht") == [] and _found(client, "bedrijfshulpverlening") == [safety]
    assert catalogue_index.docs_version(_pointer()) == version + 1


def test_R_OPS_04_R_CAT_07_the_rebuild_stems_every_word_afresh(client, two_courses, monkeypatch):
    """DOC_VERSION 4: the stemmer took the root's ge of begeleiden for a participle's and made it beleid
    (policy). A build keeps the stems it was made with, so the rebuild of migration 0013 stems every word
    again: before it, a search for beleid finds the coaching course; after it, only the policy course."""
    token, _, _ = two_courses
    coaching = _publish(client, token, "BG", "Medewerkers begeleiden", "Coachend begeleiden.")
    policy = _publish(client, token, "BL", "Beleid maken", "Van probleem tot beleid.")
    base = catalogue_index.current()
    older_stems = {**base.stems, "begeleiden": "beleid"}  # as the stemmer before DOC_VERSION 4 had it
    build_id, chunks = catalogue_index._write_build([dict(doc) for doc in base.docs], older_stems,
                                                    catalogue_index.read_lists())
    version = catalogue_index.DOC_VERSION
    Counter(catalogue_index.COUNTER_NAME).update(
        actions=[Counter.extra.set({"build_id": build_id, "chunks": chunks, "docs": version - 1})])
    catalogue_index.forget_cache()
    assert set(_found(client, "beleid")) == {coaching, policy}

    assert migrate.main(["run", "--grace-seconds", "0"]) == 0
    assert _found(client, "beleid") == [policy] and _found(client, "begeleiden") == [coaching]
    assert catalogue_index.docs_version(_pointer()) == version


def test_R_OPS_04_an_index_this_code_made_is_not_rebuilt(client, two_courses):
    build = _pointer()["build_id"]
    assert migrate.main(["run", "--grace-seconds", "0"]) == 0
    assert _pointer()["build_id"] == build
    run = MigrationRun.get(MIGRATION_ID, consistent_read=True)
    assert (run.state, int(run.migrated)) == ("done", 0)


LISTS_MIGRATION_ID = m0014_search_index_lists.MIGRATION.migration_id


def test_R_OPS_04_R_CAT_07_new_default_search_lists_reach_a_deployed_index_through_the_migrations(
        client, two_courses, monkeypatch):
    """A release with another maintained synonym list (syn3 added 54 members): the build the deployed index
    serves carries the lists it was made with, so the new words find nothing until migration 0014 rebuilds
    it; then they do, and running the migrations again rebuilds nothing."""
    _, _, excel = two_courses
    assert LISTS_MIGRATION_ID.startswith("0014-search-index-lists-")
    released = default_lists()
    monkeypatch.setattr(catalogue_index, "default_lists",
                        lambda: SearchLists((*released.synonyms, ("Excel", "tabelzwerver")), released.translations))
    catalogue_index.forget_cache()
    assert _found(client, "tabelzwerver") == []  # the served build still carries the released lists

    assert migrate.main(["run", "--grace-seconds", "0"]) == 0

    assert _found(client, "tabelzwerver") == [excel] and _found(client, "excel") == [excel]
    run = MigrationRun.get(LISTS_MIGRATION_ID, consistent_read=True)
    assert (run.state, int(run.migrated), int(run.unreached)) == ("done", 1, 0)
    build = _pointer()["build_id"]
    MigrationRun.get(LISTS_MIGRATION_ID).delete()  # as a later release's run of the same step
    assert migrate.main(["run", "--grace-seconds", "0"]) == 0
    assert _pointer()["build_id"] == build


def _busy_index() -> catalogue_index.CatalogueIndex:
    raise catalogue_index.IndexBusy()


def test_R_OPS_04_R_CAT_07_a_list_saved_while_its_publish_failed_reaches_the_index_through_the_migrations(
        client, two_courses, monkeypatch):
    """CFB's save stored the list, the publish after it was refused (`index_busy`, the page says to save
    again): if nobody does, the next deploy's migrations bring the stored list into the index."""
    _, meeting, _ = two_courses
    groups = [list(group) for group in default_lists().synonyms] + [["besluiten", "kwispelkunde"]]
    with monkeypatch.context() as busy:
        busy.setattr(catalogue_index, "publish_lists", _busy_index)
        with acting_as(Access.CFB, org_id=None, subject_id="acct-cfb"):
            saved = client.http.put("/admin/search-lists/synonyms", headers=CSRF,
                                    body=json.dumps({"groups": groups, "version": 0}))
    assert saved.status_code == 503 and saved.json_body["error"]["code"] == "index_busy", saved.body
    assert _found(client, "kwispelkunde") == []

    assert migrate.main(["run", "--grace-seconds", "0"]) == 0

    assert _found(client, "kwispelkunde") == [meeting]
    assert int(MigrationRun.get(LISTS_MIGRATION_ID, consistent_read=True).migrated) == 1
