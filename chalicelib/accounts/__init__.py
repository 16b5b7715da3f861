"""Accounts (R_ACC, R_QST): sign-up and login by e-mail link, sessions, the second factor, the profile,
the question form, organisations and the administration of accounts and organisations.

Others may call: `use_cases` (sign-up, login, profile), `sessions` (the session authenticator),
`totp`, `questions`, `search` (the admins' account search and its keys), `organisations` (directory
facts such as catalogue codes), `admin`, `schemas` (request models and the shared field types); the pure
rules `roles`, `rules`, `session_rules` (cookies, CSRF) and `links`/`link_rules` (one-time links)."""

__all__ = [
    "admin", "link_rules", "links", "organisations", "questions", "roles", "rules", "schemas", "search",
    "session_rules", "sessions", "totp", "use_cases",
]
