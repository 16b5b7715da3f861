"""Enrolment (R_ENR, R_WAIT): enrol from the portal or an LMS, the manager's approval, cancellation, the
waiting list, and the e-mails about them.

Others may call: `use_cases` (enrol, views), `flow` (approve, reject, cancel, the jobs), `waiting` (join,
leave, offers, the waiting-list jobs and views), `moving_up` (filling seats from the list when a supplier
changes the seats), `mails` and `waiting_mails` (the renderers, wired in chalicelib/wiring.py) and the pure
`rules` and `waiting_rules`."""

__all__ = ["flow", "mails", "moving_up", "rules", "use_cases", "waiting", "waiting_mails", "waiting_rules"]
