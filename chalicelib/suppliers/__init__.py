"""Suppliers (R_CAT_06, R_SUP): supplier profiles and terms, API keys (the key authenticator), and the
signed enrolment feed.

Others may call: `use_cases`, `apikeys`, `feeds`, `admin` (CFB: suppliers and keys) and `schemas`
(their request models)."""

__all__ = ["admin", "apikeys", "feeds", "schemas", "use_cases"]
