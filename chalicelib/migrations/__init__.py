"""Data migrations (R_OPS_04): numbered steps that bring stored items up to what the code now expects.

Each migration is one file `mNNNN_<what>.py` defining `MIGRATION`, a `step.Migration` over one table's
items; `registry.MIGRATIONS` lists them in order, in one visible place. `runner` runs the pending ones
(`python -m tools.migrate run`, `make deploy`, `make run`), each resumable from its stored cursor and
finished only by a clean pass after the old code stopped writing; the retention self-check reads what
the runs recorded. Migrations are the one place a Scan is allowed, and they run with the operator's
credentials, never in a request: the functions' role cannot Scan.

Others may call: `registry` (the list), `runner` (run, status, what a finished migration did not reach)
and `step` (how to write one)."""

__all__ = ["registry", "runner", "step"]
