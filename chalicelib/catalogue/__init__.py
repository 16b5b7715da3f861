"""The catalogue (R_CAT): EDU-DEX import of suppliers' programs, the search index and search.

Others may call: `use_cases` (import, withdraw, search, course page), `edudex_map` (theme labels) and
`edudex_schema` (the EDU-DEX Data API document and validators of its schemas: the directory client)."""

__all__ = ["edudex_map", "edudex_schema", "use_cases"]
