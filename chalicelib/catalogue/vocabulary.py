"""CFB maintains the search's vocabulary lists (R_CAT_07): synonyms and English-Dutch translations.

A list is stored whole, as CFB last saved it (a SearchList item, conditional on the version the
edit started from, so two editors never overwrite each other unseen); a list CFB never saved is the
maintained default. Saving a list publishes a new build of the search index with it (the documents
as they are), so the next search in every container uses it without a restart, and the change is
logged. A search itself never reads these items: the lists travel with the build.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.catalogue import index as catalogue_index
from chalicelib.catalogue import vocabulary_rules as rules
from chalicelib.models import SearchList
from chalicelib.platform import clock, eventlog, faults
from chalicelib.platform.errors import ConflictError, InvalidInputError, UnavailableError

if TYPE_CHECKING:
    from chalicelib.accounts.admin import Scope
    from chalicelib.catalogue.schemas import SynonymList, TranslationList


def view_lists() -> dict[str, Any]:
    """Both lists as they apply now, each with its version (0: the maintained default, never saved). A saved list
    also says how many default terms it lacks that CFB has not left out on purpose (`defaults_missing`: what a
    release added since it was saved) and shows itself with them merged in (`with_defaults`), for CFB to review
    and save, or not."""
    lists = rules.default_lists()
    defaults = lists.payload()
    stored = {item.name: item for item in SearchList.batch_get(rules.LIST_NAMES, consistent_read=True)}
    shown: dict[str, Any] = {}
    for name, field in (("synonyms", "groups"), ("translations", "entries")):
        item = stored.get(name)
        entries = json.loads(item.entries) if item else defaults[name]
        declined = json.loads(item.declined) if item and item.declined else []
        merged, missing = _with_defaults(name, entries, lists, declined) if item else (None, 0)
        shown[name] = {
            field: entries,
            "version": int(item.version) if item else 0,
            "updated_at": item.updated_at.isoformat() if item else None,
            "defaults_missing": missing,
            "with_defaults": merged if missing else None,
        }
    return shown


def _with_defaults(name: str, entries: Any, lists: rules.SearchLists, declined: list[str]) -> tuple[Any, int]:
    if name == "synonyms":
        return rules.synonyms_with_defaults(entries, lists.synonyms, declined)
    return rules.translations_with_defaults(entries, lists.translations, declined)


def _declined(name: str, entries: Any) -> list[str]:
    lists = rules.default_lists()
    if name == "synonyms":
        return rules.declined_synonyms(entries, lists.synonyms)
    return rules.declined_translations(entries, lists.translations)


def replace_synonyms(scope: Scope, body: SynonymList) -> dict[str, Any]:
    groups = [rules.cleaned(group) for group in body.groups]
    errors = rules.synonym_errors(groups)
    if errors:
        raise InvalidInputError("De synoniemenlijst is niet opgeslagen.", fields=errors)
    return _replace(scope, "synonyms", groups, body.version, len(groups))


def replace_translations(scope: Scope, body: TranslationList) -> dict[str, Any]:
    entries = [{"en": rules.cleaned(entry.en), "nl": rules.cleaned(entry.nl)} for entry in body.entries]
    errors = rules.translation_errors(entries)
    if errors:
        raise InvalidInputError("De vertaallijst is niet opgeslagen.", fields=errors)
    return _replace(scope, "translations", entries, body.version, len(entries))


def _replace(scope: Scope, name: str, entries: Any, version: int, count: int) -> dict[str, Any]:
    _store(name, entries, version)
    try:
        catalogue_index.publish_lists()
    except catalogue_index.IndexBusy:
        # stored, not yet in the index: the next publish (any import, or saving again) carries it
        raise UnavailableError("De lijst is opgeslagen, maar de zoekindex is nog niet bijgewerkt. "
                               "Sla de lijst over een minuut opnieuw op.", code="index_busy",
                               retry_after=60) from None
    eventlog.record(eventlog.EventKind.SEARCH_LISTS_CHANGED, actor_ref=scope.actor_id, changed=name, count=count,
                    outcome="index_rebuilt")
    return view_lists()


def _store(name: str, entries: Any, version: int) -> None:
    """Write the list if it is still at `version` (0: never saved); a same list saved again is no change. The
    default terms it lacks as saved were shown to CFB and left out: they are not offered again."""
    item = SearchList(name, entries=json.dumps(entries, ensure_ascii=False), version=version + 1,
                      updated_at=clock.now(), declined=json.dumps(_declined(name, entries), ensure_ascii=False))
    condition = SearchList.name.does_not_exist() if version == 0 else SearchList.version == version
    try:
        item.save(condition=condition)
    except PutError as err:
        faults.only_condition(err)
        if _unchanged(name, entries):
            return  # a retry of a save that was stored but not yet published
        raise ConflictError("Een andere beheerder heeft deze lijst intussen gewijzigd. Laad de pagina opnieuw "
                            "en breng uw wijziging opnieuw aan.", code="list_changed",
                            fields={"version": "De lijst is intussen gewijzigd."}) from None


def _unchanged(name: str, entries: Any) -> bool:
    try:
        return bool(json.loads(SearchList.get(name, consistent_read=True).entries) == entries)
    except DoesNotExist:
        return False


def default_lists_digest() -> str:
    """Names the maintained default lists of this code (migration 0014's id ends with it)."""
    return rules.default_lists().digest()


def index_lists_behind(pointer: dict[str, Any]) -> bool:
    """Whether the index build a catalogue pointer names carries other lists than those in force now."""
    return catalogue_index.lists_behind(pointer)


def republish_lists() -> None:
    """A new build of the index with the lists in force now (migration 0014)."""
    catalogue_index.publish_lists()
