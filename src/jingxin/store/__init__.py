"""The store: DuckDB file, schema migrations, atomic loads with provenance, audited changes."""

from __future__ import annotations

from jingxin.store.db import LoadResult, Store, table_sha256
from jingxin.store.schema import FACT_MEASURES, SCHEMA_VERSION

__all__ = ["FACT_MEASURES", "SCHEMA_VERSION", "LoadResult", "Store", "table_sha256"]
