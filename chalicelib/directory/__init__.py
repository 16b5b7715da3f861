"""The EDU-DEX directory (R_DEX_01-04): Leer-Rijk as a client organisation of a Data API directory.

The Data API client (`client`, answers checked against the document by `contract`), the sync job
(`sync`, pure rules in `sync_rules`) that applies changes through the catalogue's import path, held
programs of suppliers not admitted yet (`holding`), the mapping of directory suppliers to Leer-Rijk
suppliers (`mapping`), the webhook (`hooks`) and CFB's view and settings (`admin`, `schemas`).

Others may call: `sync` (the jobs), `hooks` (the webhook route), `admin`, `mapping`, `schemas` (CFB's
routes), `client` and `contract` (the tools and the local emulator)."""

__all__ = ["admin", "client", "contract", "hooks", "mapping", "schemas", "sync"]
