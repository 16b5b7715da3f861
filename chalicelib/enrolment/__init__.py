"""Enrolment (R_ENR): enrol from the portal or an LMS, the manager's approval, cancellation, and the
e-mails about it.

Others may call: `use_cases` (enrol, views), `flow` (approve, reject, cancel, the jobs), `mails`
(the renderers, wired in chalicelib/wiring.py) and the pure `rules`."""

__all__ = ["flow", "mails", "rules", "use_cases"]
