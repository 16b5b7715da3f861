"""The catalogue (R_CAT): EDU-DEX import of suppliers' programs, the search index and search.

Others may call: `use_cases` (import, withdraw, search, course page), `edudex_map` (theme labels) and
`change_rules` (which changes of a run people must hear of, R_CAL_02)."""

__all__ = ["change_rules", "edudex_map", "use_cases"]
