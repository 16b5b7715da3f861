"""0014: the search index's build carries the vocabulary lists as they are now (R_CAT_07, R_OPS_04).

A build carries the synonym and translation lists it was made with; a search reads them from the build,
never from the stored lists. Two things leave a build behind: new code with other maintained default lists
(for every list CFB never saved), and a list CFB saved while the publish after it failed (`index_busy`).
The pointer names the digest of the lists its build carries; this step rebuilds a build whose digest is not
that of the lists as stored now, or which names none (made before the pointer did).

The step's id ends with the digest of the default lists, so every release that changes them brings a new
migration the deploy runs once; a release that does not finds its run done. A rebuild with unchanged
lists never happens: the pending check compares digests first."""

from __future__ import annotations

from chalicelib.catalogue import use_cases, vocabulary
from chalicelib.migrations.step import Migration
from chalicelib.models import Counter, plain


def _pending(counter: Counter) -> bool:
    return counter.name == use_cases.INDEX_POINTER and vocabulary.index_lists_behind(plain(counter.extra))


def _migrate(counter: Counter) -> None:
    """A new build of the same documents with the lists as stored now (switched only while the pointer still
    names the build it started from; `index.update` tries again on a newer one)."""
    vocabulary.republish_lists()


MIGRATION = Migration(f"0014-search-index-lists-{vocabulary.default_lists_digest()[:8]}", Counter,
                      "de zoekindex krijgt de zoekwoordenlijsten zoals ze nu gelden (R_CAT_07)",
                      _pending, _migrate)
