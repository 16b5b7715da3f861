"""The score of `make mutation`: mutants killed among those that are not equivalent.

    python -m tools.mutation_score              # the table and the score after `mutmut run`
    python -m tools.mutation_score --survivors  # each surviving mutant's change, in the list's format

It reads the results mutmut left in mutants/ and the list of equivalent mutants (a mutant that no
test can kill because the program behaves the same: tests/mutation/equivalent.md). Each entry there
names a mutant and quotes its change; an entry whose mutant is gone, is killed, or no longer makes
that change (mutmut numbers the mutants of a function anew when the function changes) is stale: the
score counts it as not equivalent and the command fails until the list is brought up to date. It
also fails when the score is below the target.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mutmut.mutation.data import SourceFileMutationData
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code
from mutmut.utils.file_utils import walk_mutatable_files

EQUIVALENT_LIST = Path("tests/mutation/equivalent.md")
TARGET = 97.0
# A test failed, or the tests ran into mutmut's time limit (a mutant that loops for ever is noticed too).
DETECTED = frozenset({"killed", "timeout"})
_ENTRY = re.compile(r"^### `(?P<name>[\w.]+)`\n+```diff\n(?P<change>.*?)\n```", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Mutant:
    name: str
    path: Path
    status: str


def results() -> list[Mutant]:
    found = []
    for path in sorted(walk_mutatable_files()):
        data = SourceFileMutationData(path=path)
        data.load()
        found += [Mutant(name, path, status_by_exit_code[code]) for name, code in data.exit_code_by_key.items()]
    return found


def change_of(mutant: Mutant) -> str:
    """The removed and added lines of a mutant, stripped: what an entry of the list quotes."""
    diff = get_diff_for_mutant(mutant.name, path=mutant.path).splitlines()
    return "\n".join(line[0] + line[1:].strip() for line in diff
                     if line[:1] in "-+" and not line.startswith(("---", "+++")))


def listed_equivalents(text: str) -> dict[str, str]:
    return {m["name"]: "\n".join(line[0] + line[1:].strip() for line in m["change"].splitlines() if line)
            for m in _ENTRY.finditer(text)}


def entry(mutant: Mutant) -> str:
    return f"### `{mutant.name}`\n\n```diff\n{change_of(mutant)}\n```\n\nWhy equivalent: \n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--survivors", action="store_true", help="print the surviving mutants' changes")
    args = parser.parse_args(argv)
    mutants = results()
    if not mutants:
        print("No results in mutants/: run `make mutation` first.")
        return 1
    listed = listed_equivalents(EQUIVALENT_LIST.read_text(encoding="utf-8"))
    by_name = {m.name: m for m in mutants}
    stale = sorted(name for name, change in listed.items()
                   if name not in by_name or by_name[name].status != "survived" or change_of(by_name[name]) != change)
    equivalent = {name for name in listed if name not in stale}
    if args.survivors:
        for mutant in mutants:
            if mutant.status not in DETECTED and mutant.name not in equivalent:
                print(entry(mutant))
        return 0
    return report(mutants, equivalent, stale)


def report(mutants: list[Mutant], equivalent: set[str], stale: list[str]) -> int:
    rows: dict[Path, Counter[str]] = {}
    for mutant in mutants:
        status = "equivalent" if mutant.name in equivalent else mutant.status
        rows.setdefault(mutant.path, Counter())[status] += 1
    total = sum(rows.values(), Counter())
    columns = ["killed", "timeout", "equivalent", "survived",
               *sorted(set(total) - {"killed", "timeout", "equivalent", "survived"})]
    print(f"{'module':<40}{'mutants':>8}" + "".join(f"{c:>12}" for c in columns))
    for path, counts in [*rows.items(), (Path("total"), total)]:
        print(f"{path!s:<40}{counts.total():>8}" + "".join(f"{counts[c]:>12}" for c in columns))
    considered = total.total() - total["equivalent"]
    detected = sum(total[status] for status in DETECTED)
    score = 100.0 * detected / considered if considered else 100.0
    print(f"\nScore: {detected} detected (killed or timed out) of {considered} non-equivalent mutants = {score:.1f}% "
          f"(target {TARGET:.0f}%; {total['equivalent']} equivalent, listed with the reason in {EQUIVALENT_LIST})")
    left = [m for m in mutants if m.status not in DETECTED and m.name not in equivalent]
    for mutant in left:
        print(f"  {mutant.status}: {mutant.name}  (mutmut show {mutant.name})")
    for name in stale:
        print(f"  stale entry in {EQUIVALENT_LIST}: {name} (gone, killed or another change now)")
    return 0 if score >= TARGET and not stale else 1


if __name__ == "__main__":
    sys.exit(main())
