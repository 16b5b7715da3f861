"""Suppliers (R_CAT_06, R_SUP): supplier profiles and terms, API keys (the key authenticator), and the
signed enrolment feed.

Others may call: `use_cases`, `apikeys`, `feeds` and `admin` (CFB: suppliers and keys)."""

__all__ = ["admin", "apikeys", "feeds", "use_cases"]
