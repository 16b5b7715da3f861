"""The catalogue (R_CAT): EDU-DEX import of suppliers' programs, the search index and search.

Others may call: `use_cases` (import, withdraw, search, course page), `edudex_map` (theme labels) and
`sitemap` (the public course pages for search engines) and `vocabulary` (CFB's synonym and translation
lists)."""

__all__ = ["edudex_map", "sitemap", "use_cases", "vocabulary"]
