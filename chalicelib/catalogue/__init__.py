"""The catalogue (R_CAT): EDU-DEX import of suppliers' programs, the search index and search.

Others may call: `use_cases` (import, withdraw, search, course page) and `edudex_map` (theme labels)."""

__all__ = ["edudex_map", "use_cases"]
