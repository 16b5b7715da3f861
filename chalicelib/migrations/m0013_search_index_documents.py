"""0013: the search index's documents are made as `catalogue.use_cases.index_doc` makes them now (R_CAT_07).

The index is one build of documents (chunks) named by the catalogue's pointer in the counters table. When
index_doc changes what a document holds or how its words weigh, `catalogue.index.DOC_VERSION` goes up; a build made by
an older version (its pointer states that version, or none) keeps its documents until something rebuilds
them, so this step rebuilds it from the stored courses and runs. A publish by new code on an old build keeps
the old version (it changed only its own course), so the step still finds it; a publish by old code while the
deploy settles writes a pointer without a version, which the runner's last pass finds too.

The step's id ends with the DOC_VERSION it brings builds up to: a run that is done stays done, so a release
that raises the version needs a run of its own (the first release of this step had the id without it; its
next run finds nothing to do)."""

from __future__ import annotations

from chalicelib.catalogue import use_cases
from chalicelib.migrations.step import Migration
from chalicelib.models import Counter, plain


def _pending(counter: Counter) -> bool:
    return counter.name == use_cases.INDEX_POINTER and use_cases.index_made_by_older_code(plain(counter.extra))


def _migrate(counter: Counter) -> None:
    """A fresh build that replaces the one the pointer names only while it still names it (`index.update`
    switches on that condition and tries again on a newer build)."""
    use_cases.rebuild_index()


MIGRATION = Migration(f"0013-search-index-documents-v{use_cases.INDEX_DOC_VERSION}", Counter,
                      "de zoekindex wordt opnieuw opgebouwd als de code documenten anders maakt (R_CAT_07)",
                      _pending, _migrate)
