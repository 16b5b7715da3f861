"""The registries, filled here and nowhere else: no module is imported for its side effect.

- which capability renders each e-mail template the outbox sends (read at the first send, so the
  template modules stay out of the cold start);
- which authenticators resolve a request's caller, in order (API key, then session cookie).
The scheduled jobs have their own table in `chalicelib/jobs.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from chalicelib.access import Authenticator
from chalicelib.accounts import sessions
from chalicelib.platform import outbox
from chalicelib.suppliers import apikeys

# A list so that tests can put a stand-in in front; production never changes it.
AUTHENTICATORS: list[Authenticator] = [apikeys.authenticate, sessions.authenticate]


@cache
def mail_renderers() -> Mapping[str, outbox.Renderer]:
    from chalicelib.calendar import mails as calendar_mails
    from chalicelib.contact import mails as contact_mails
    from chalicelib.enrolment import mails as enrolment_mails
    from chalicelib.enrolment import waiting_mails
    from chalicelib.reviews import mails as review_mails

    # the enrolment's and the waiting list's confirming and cancelling mails carry the calendar invitation (R_CAL_01)
    enrolment_renderers = {**enrolment_mails.RENDERERS, **waiting_mails.RENDERERS}
    return {**calendar_mails.with_invitations(enrolment_renderers), **calendar_mails.RENDERERS,
            **review_mails.RENDERERS, **contact_mails.RENDERERS}


def install() -> None:
    outbox.install_renderers(mail_renderers)
