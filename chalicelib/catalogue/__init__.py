"""The catalogue (R_CAT): EDU-DEX import of suppliers' programs, the search index and search.

Others may call: `use_cases` (import, withdraw, search, course page), `edudex_map` (theme labels) and
`sitemap` (the public course pages for search engines), `vocabulary` (CFB's synonym and translation
lists) and `change_rules` (which changes of a run people must hear of, R_CAL_02)."""

__all__ = ["change_rules", "edudex_map", "sitemap", "use_cases", "vocabulary"]
