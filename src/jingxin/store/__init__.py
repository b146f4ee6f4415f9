"""The store: DuckDB file, schema migrations, atomic loads with provenance, audited changes.

Only this package touches DuckDB. Reads go through :meth:`Store.table` under a
:class:`Scope` (who may see which enterprises) and :meth:`Store.run`; writes go through
the store's modules per area (``store/pools.py``, ``store/evaluation.py``, ...), with one
audit writer and one id allocator (``store/audit.py``).
"""

from __future__ import annotations

from jingxin.store.db import LoadResult, Store, table_sha256
from jingxin.store.schema import FACT_MEASURES, SCHEMA_VERSION
from jingxin.store.scope import Scope

__all__ = ["FACT_MEASURES", "SCHEMA_VERSION", "LoadResult", "Scope", "Store", "table_sha256"]
