"""The course in everyone's calendar (R_CAL): iCalendar invitations with every confirming mail, changes
and cancellations sent to the same calendar entry, the supplier's changes told to everyone concerned,
reminders before the start, and the manager's reminder while an approval waits.

Others may call: `invitations` (the .ics of an enrolment, for mails and the holder's download), `mails`
(the renderers and the invitation parts of the enrolment's mails, wired in chalicelib/wiring.py), the
jobs `changes`, `reminders` and `approvals`, and the pure `rules`."""

__all__ = ["approvals", "changes", "invitations", "mails", "reminders", "rules"]
