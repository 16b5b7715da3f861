"""The catalogue (R_CAT): EDU-DEX import of suppliers' programs, the search index and search.

Others may call: `use_cases` (import, withdraw, search, course page), `edudex_map` (theme labels) and
`sitemap` (the public course pages for search engines), `vocabulary` (CFB's synonym and translation
lists), `change_rules` (which changes of a run people must hear of, R_CAL_02) and `edudex_schema` (the
EDU-DEX Data API document and validators of its schemas: the directory client)."""

__all__ = ["change_rules", "edudex_map", "edudex_schema", "sitemap", "use_cases", "vocabulary"]
