"""How the catalogue search reads text (R_CAT_07). Pure.

Text is folded (case, accents) and split into words; Dutch stop words are dropped. A course's
words get a BM25F weight: per field the occurrences times the field's weight, each field
normalised by its length against a fixed reference length, summed over the fields. The reference
lengths are typical EDU-DEX field lengths rather than the catalogue's averages, so a course's
weights never change when another course is published and a publish re-weights nothing. The
group of people a title or summary ends by naming ("Excel voor controllers") is its own field,
weighed as a description: who a course is for is not what it is about.

Typos are found with a deletion index: every catalogue word and its one- and two-letter deletions,
kept as a sorted array of hashes, so a lookup is a few binary searches however large the
vocabulary; candidates are then checked with the edit distance. A word with digits (prince2, nt2,
iso27001) has typos too, but only in its letters: a digit is never inserted, deleted or changed,
because a digit names a version or a level (prince3 is not a misspelt prince2, nor nt3 of nt2).
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from array import array
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

# "audience": the group a title or summary ends by naming ("Excel voor controllers"), see title_audience
WEIGHTS = {"name": 6.0, "words": 4.0, "summary": 3.0, "desc": 2.0, "meta": 1.5, "audience": 2.0}
# how much a field's length counts
LENGTH_B = {"name": 0.3, "words": 0.0, "summary": 0.5, "desc": 0.5, "meta": 0.0, "audience": 0.0}
REFERENCE_LENGTH = {"name": 5, "words": 4, "summary": 10, "desc": 40, "meta": 6, "audience": 2}  # typical words
META = "\x01"  # marks a word of the supplier's name or the theme's label in the index (matched as typed only)
WEIGHT_SCALE = 10  # stored weights are tenths of the BM25F pseudo-frequency
MIN_PART = 3  # shortest compound part, shortest word with typos
MAX_PARTS = 3  # a glued query word is split into at most this many known words
_WORD = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"[0-9]")
_APOSTROPHE_S = re.compile(r"['\u2019]s\b")  # risico's, nota's: the plural of the word before it
# the e of e-mail, e-learning, e-overheid is no word of its own (it matched every course that says e-mail)
_E_PREFIX = re.compile(r"(?<![a-z0-9])e-(?=[a-z]{3})")
_LETTER_APOSTROPHE = re.compile(r"(?<![a-z0-9])([a-z])'([a-z]{3,})")  # A'dam, R'dam: one word (adam)
_DOTTED = re.compile(r"(?<![a-z0-9.])(?:[a-z]\.)+[a-z](?![a-z0-9])\.?")  # a.v.g., e.h.b.o: one abbreviation
STOP_WORDS = frozenset({
    "de", "het", "een", "en", "of", "van", "voor", "in", "op", "met", "aan", "bij", "door", "naar", "over",
    "te", "tot", "uit", "om", "als", "dan", "die", "dat", "dit", "deze", "je", "u", "uw", "we", "wij", "zij",
    "hun", "is", "zijn", "wordt", "worden", "kan", "kunnen", "niet", "ook", "maar", "nog", "er", "the",
    "and", "to", "for", "hoe", "wat", "ik", "mijn", "on", "with", "a", "an", "at", "by", "from", "into", "your",
    "vanaf", "vanuit",
})
# Dutch prefixes that are no word of their own: never a part of a compound (herinrichting is not her + in +
# richting); a word they make of a known word is that word's (herinrichting: inrichting)
BOUND_PREFIXES = frozenset({"her", "ver", "ont"})
# Plural person nouns (beleidsmedewerkers, adviseurs, juristen, docenten, leidinggevenden, gevorderden,
# ambtenaren, anderstaligen): after "voor" at the end of a title they name who a course is for.
_PERSONS = re.compile(r"(ers|eurs|isten|enten|nden|rden|aren|igen|ici|ssen)$")
_AUDIENCE = re.compile(r"^(?P<subject>.+\S)\s+voor\s+(?P<audience>(?:[^\s]+\s+){0,2}[^\s]+?)[.!]?$", re.IGNORECASE)
_stemmer: Any = None
_porter: Any = None  # the older Dutch stemmer, for a root's ge (see stem)
_ROOT_GE = re.compile(r"(?:be|ver|ont|her)ge")


def fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str | None) -> list[str]:
    if not text:
        return []
    folded = fold(text)
    if "'" in folded or "\u2019" in folded:
        folded = _APOSTROPHE_S.sub("", folded)
    if "." in folded:
        folded = _DOTTED.sub(lambda found: found.group().replace(".", ""), folded)
    if "e-" in folded:
        folded = _E_PREFIX.sub("", folded)
    if "'" in folded:
        folded = _LETTER_APOSTROPHE.sub(r"\1\2", folded)
    return [w for w in _WORD.findall(folded) if w not in STOP_WORDS]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball's Dutch stemmer on a folded word: trainingen → train, gesprekken → sprek.

    The stemmer is imported on first use: a build carries the stems of its own words, so a
    container stems only query words the catalogue does not have (and the cold start skips it).
    """
    global _stemmer, _porter
    if not word.isalpha():
        return word
    if _stemmer is None:
        import snowballstemmer

        _stemmer = snowballstemmer.stemmer("dutch")
    found = str(_stemmer.stemWord(word))
    if _ROOT_GE.search(word):
        # the stemmer takes ge for a participle's even after an inseparable prefix, where it is the root's:
        # begeleiden became beleid (policy) and vergelijken verlijk; the older stemmer keeps the root
        if _porter is None:
            import snowballstemmer

            _porter = snowballstemmer.stemmer("dutch_porter")
        kept = str(_porter.stemWord(word))
        if found.count("ge") < kept.count("ge"):
            return kept.removesuffix("t") if kept.endswith("dt") else kept  # begeleidt as begeleid
    return found


def title_audience(title: str | None) -> tuple[str | None, str | None]:
    """A title's (or summary's) subject and the group of people it names at its end: "Excel voor
    controllers" → ("Excel", "controllers"), "Richting geven. Voor leidinggevenden." → ("Richting
    geven.", "leidinggevenden"); "Helder schrijven voor het web" stays whole (web is no group of
    people). Who a course is for is not what it is about: those words weigh as a description's."""
    found = _AUDIENCE.match(title or "")
    if found is None:
        return title, None
    audience = found["audience"]
    last = words(audience)
    if not last or not _PERSONS.search(last[-1]):
        return title, None
    return found["subject"], audience


def document_terms(fields: dict[str, Iterable[str | None]]) -> dict[str, int]:
    """word → its BM25F weight in the document, in tenths (see the module's docstring).

    The words of one Snowball stem count together, as BM25 over stems would: a course with
    "gesprekken" in its title and "gesprek" in its summary weighs more for either than one with the
    title alone. Each word keeps its own entry, so a query still tells the word typed from its stem.
    """
    total: dict[str, float] = {}
    for field_name, texts in fields.items():
        found = [w for text in texts for w in words(text)]
        if not found:
            continue
        b = LENGTH_B[field_name]
        unit = WEIGHTS[field_name] / (1 - b + b * len(found) / REFERENCE_LENGTH[field_name])
        for word in found:
            total[word] = total.get(word, 0.0) + unit
    stems = {word: stem(word) for word in total}
    by_stem: dict[str, float] = {}
    for word, value in total.items():
        by_stem[stems[word]] = by_stem.get(stems[word], 0.0) + value
    return {word: max(1, round(WEIGHT_SCALE * by_stem[stems[word]])) for word in total}


def saturated(weight: int, k1: float) -> float:
    """BM25's saturation of a stored weight: more occurrences and fields help, less and less."""
    x = weight / WEIGHT_SCALE
    return x * (k1 + 1) / (x + k1)


def idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


# --- typos ------------------------------------------------------------------------------------------


def typo_budget(word: str) -> int:
    """R_CAT_07: one edit for 4+ letters, two for 8+ (a word's digits not counted); none for shorter
    words or numbers."""
    letters = letter_count(word)
    if letters < 4:
        return 0
    return 2 if letters >= 8 else 1


def swap_budget(word: str) -> int:
    """A word of three letters has no typo budget, but may have its last two letters swapped (agv → avg)."""
    return 1 if len(word) == MIN_PART and word.isalpha() else 0


def typo_allowed(word: str, term: str) -> bool:
    """Words under 8 letters keep their first character, words of three only swap two (agv is avg, agb
    is not); the candidate must be a word (3+ characters, some of them letters) with the digits typed,
    in the same order (a typo is never a digit)."""
    return (len(term) >= MIN_PART and has_letters(term) and (letter_count(word) >= 8 or term[0] == word[0])
            and same_digits(word, term) and (letter_count(word) > MIN_PART or sorted(word) == sorted(term)))


def letter_count(word: str) -> int:
    return len(word) if word.isalpha() else len(word) - len(_DIGIT.findall(word))


def same_digits(word: str, term: str) -> bool:
    """The same digits in the same order: what a typo may never change."""
    return (word.isalpha() and term.isalpha()) or _DIGIT.findall(word) == _DIGIT.findall(term)


def has_letters(term: str) -> bool:
    """A word the typo index keeps: letters, or letters and digits (no number, no supplier marker)."""
    return term.isalpha() or (term.isalnum() and not term.isdigit())


def typo_distance(word: str, term: str, limit: int) -> int:
    """Edits of letters only between a word typed and a catalogue word (limit + 1 when more), two
    swapped neighbours counting as one edit (gdrp → gdpr, integritiet → integriteit): a digit is never
    inserted, deleted or changed, so the digits must be the same and the letters between them are
    compared piece by piece (prinse2 → prince2 is one edit; prince3 → prince2 is none)."""
    if word.isalpha() and term.isalpha():
        return levenshtein(word, term, limit, swaps=True)
    if not same_digits(word, term):
        return limit + 1
    total = 0
    for piece, other in zip(_DIGIT.split(word), _DIGIT.split(term), strict=True):
        total += levenshtein(piece, other, limit - total, swaps=True)
        if total > limit:
            return limit + 1
    return total


def levenshtein(a: str, b: str, limit: int, swaps: bool = False) -> int:
    """Edit distance (insert, delete, substitute; with `swaps` also two swapped neighbours, as optimal
    string alignment), or limit + 1 when it is larger than `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    a, b = a[start:end_a], b[start:end_b]
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if swaps and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def swap_distance(a: str, b: str) -> int:
    """Edits with two swapped neighbours counting as one (optimal string alignment): how far a
    suggestion is from what was typed ("ebho" is one swap from "ehbo", two edits from "bhv")."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i]
        for j in range(1, len(b) + 1):
            cost = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cost = min(cost, rows[i - 2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def deletions(word: str, most: int) -> set[str]:
    """`word` and every string made from it by deleting up to `most` (0-2) letters (never a digit)."""
    found = {word}
    edge = {word}
    alpha = word.isalpha()
    for _ in range(most):
        if alpha:
            edge = {w[:i] + w[i + 1:] for w in edge for i in range(len(w))}
        else:
            edge = {w[:i] + w[i + 1:] for w in edge for i in range(len(w)) if not w[i].isdigit()}
        found |= edge
    return found


class DeletionIndex:
    """Words within two edits of a query word: each word's deletions of up to two letters, as hashes.

    Two strings within edit distance k share a string reached by at most k deletions from each, so
    the query's own deletions find every candidate; `near` then checks the true distance. Edits of
    letters only (`typo_distance`) need deletions of letters only, so a word's digits stay in every
    key. Hashes sit in one sorted array (8 bytes each) and are searched with `bisect`: no string per key.
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = sorted({t for t in terms if len(t) >= MIN_PART and has_letters(t)})
        keyed = sorted((hash(key), n) for n, term in enumerate(self.terms) for key in deletions(term, 2))
        self.hashes = array("q", (h for h, _ in keyed))
        self.ids = array("l", (n for _, n in keyed))

    def near(self, word: str, distance: int) -> dict[str, int]:
        """Catalogue words within `distance` (1 or 2) edits of `word`'s letters, with their distance."""
        found: dict[str, int] = {}
        seen: set[int] = set()
        hashes, ids = self.hashes, self.ids
        for key in deletions(word, distance):
            h = hash(key)
            at = bisect.bisect_left(hashes, h)
            while at < len(hashes) and hashes[at] == h:
                n = ids[at]
                at += 1
                if n in seen:
                    continue
                seen.add(n)
                term = self.terms[n]
                edits = typo_distance(word, term, distance)
                if edits <= distance:
                    found[term] = edits
        return found


# What Dutch writes differently for the same sound (folded words): a word spelt by ear
# ("kommunikasie", "sgrijven") has the key of the word meant (communicatie, schrijven).
# ai as ei: the English i of python or cyber, written by ear (paiton, saiber), as Dutch writes y and ij
_SOUNDS = (("ch", "g"), ("ph", "f"), ("th", "t"), ("qu", "kw"), ("x", "ks"), ("ij", "ei"), ("y", "ei"), ("ai", "ei"),
           ("au", "ou"), ("dt", "t"), ("z", "s"), ("v", "f"))
_SOFT_C = re.compile(r"c(?=[eiy])")
_TIE = re.compile(r"t(?=ie)")
_FINAL_D = re.compile(r"d$")
_DOUBLE = re.compile(r"(.)\1+")


def sound_key(word: str) -> str:
    """How a word sounds, roughly: c as k or s, ch as g, ij, y and ai as ei, -tie as -sie, z as s, v as f, a final
    d as t, a double letter as one (kommunikasie and communicatie both give komunikasie)."""
    key = _SOFT_C.sub("s", word)
    for written, sound in _SOUNDS:
        key = key.replace(written, sound)
    key = _TIE.sub("s", key.replace("c", "k"))
    return _DOUBLE.sub(r"\1", _FINAL_D.sub("t", key))


# An English word written as a Dutch speaker hears it (koetsjing, sjaarpoint, taimmenedzjment) keeps the
# consonants of the word meant, spelt the Dutch way: tsj or sj as ch or sh, dzj as j or a soft g. The key is that
# consonant skeleton, with the consonants both languages hear alike made one (d as t, v as f, z as s, h silent).
_HEARD = (("tsj", "C"), ("tch", "C"), ("dzj", "J"), ("sch", "sk"), ("sh", "S"), ("sj", "S"), ("ch", "C"),
          ("dj", "J"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("qu", "kw"), ("x", "ks"), ("ij", "e"))
_SOFT_G = re.compile(r"g(?=[eiy])")
_CONSONANT_Y = re.compile(r"(?:^|(?<=[aeiou]))y(?=[aeiou])")
_VOWELS = re.compile(r"[aeiouy]+")


def heard_key(word: str) -> str:
    """The consonants of a word as heard, English or Dutch (coaching and koetsjing both give kSng)."""
    key = word
    for written, heard in _HEARD:
        key = key.replace(written, heard)
    key = _SOFT_G.sub("J", _SOFT_C.sub("s", key).replace("c", "k"))
    key = _CONSONANT_Y.sub("J", key).replace("j", "J")
    key = key.replace("h", "").replace("v", "f").replace("z", "s").replace("d", "t").replace("C", "S")
    return _DOUBLE.sub(r"\1", _VOWELS.sub("", key))


# --- compounds --------------------------------------------------------------------------------------


def compound_parts(term: str, vocabulary: Any) -> set[str]:
    """The parts of a catalogue compound: a known word at the start or end, and what remains (3+ letters).

    projectmanagement → {project, management}; informatiebeveiliging → {informatie, beveiliging}.
    """
    found: set[str] = set()
    for i in range(MIN_PART, len(term) - MIN_PART + 1):
        head, tail = term[:i], term[i:]
        if head in vocabulary:
            found.update((head, tail))
            if tail[0] in "se" and len(tail) > MIN_PART:
                found.add(tail[1:])
        if tail in vocabulary:
            found.update((head, tail))
    return found


def split_compound(word: str, known: Any) -> list[str] | None:
    """The fewest known parts (2 to MAX_PARTS, each in `known`) that make up `word`, longest head first; a prefix
    no word of its own and a known word: that word alone.

    A linking s or e between two parts is allowed (veiligheidsbewustzijn, scholingsplan); a short
    glue word may join them (excelvoorbeginners → excel, beginners: "voor" is a stop word).
    """
    for prefix in BOUND_PREFIXES:  # herinrichting: again an inrichting
        if word.startswith(prefix) and word[len(prefix):] in known and len(word) - len(prefix) >= MIN_PART:
            return [word[len(prefix):]]
    return _split(word, known, MAX_PARTS)


def _split(word: str, known: Any, parts: int) -> list[str] | None:
    if parts < 2:
        return None
    for i in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head = word[:i]
        if head not in known or head in BOUND_PREFIXES:
            continue
        for tail in _tails(word[i:]):
            if tail in known:
                return [head, tail]
    for i in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head = word[:i]
        if head not in known or head in BOUND_PREFIXES:
            continue
        for tail in _tails(word[i:]):
            rest = _split(tail, known, parts - 1)
            if rest:
                return [head, *rest]
    return None


def _tails(tail: str) -> list[str]:
    """The rest of a compound after a part: as it is, without a linking s or e, without a glue word."""
    found = [tail]
    if tail[0] in "se" and len(tail) > MIN_PART:
        found.append(tail[1:])
    for glue in ("voor", "van", "met", "en", "op", "in"):
        if tail.startswith(glue) and len(tail) - len(glue) >= MIN_PART:
            found.append(tail[len(glue):])
    return found
