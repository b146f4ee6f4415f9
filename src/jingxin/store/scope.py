"""Who may see which enterprises: the scope every read of the store is made under.

A :class:`Scope` is the set of county codes whose enterprises a caller may see. It is a
required argument of :meth:`jingxin.store.Store.table` (and of every stage's query
functions), so an unscoped read of enterprise-level data cannot be written by accident:
the caller has to say ``Scope.city()`` (an analyst of the city bureau, a system job) or
``Scope.of("330502")`` (a county's staff). The filter itself is applied in one place,
:func:`scoped_table`, by the table's kind of key:

* tables with a county (``enterprise``, ``project``, the capacity ledger's cases, which
  may be unregistered workshops) are filtered on ``region_code``;
* tables keyed by an enterprise (``uscc``) keep the rows of enterprises in the scope;
* tables keyed by a project (``project_id``) keep the rows of projects in the scope;
* the energy ledger's balances (``account``) keep the accounts of enterprises in the scope
  (the city's reserve is not a county's), and its trade applications those of which the
  buyer or the seller is in the scope;
* daily meter readings (``meter_daily``) keep the meters the crosswalk gives to enterprises
  in the scope (a meter nobody is known to own is the city's only);
* tables that name no enterprise but may describe one (held rows, the audit log, source
  files, the ledger's journal, whose movements name two enterprises) are the city's only: a county scope sees none of their rows;
* the rest hold no enterprise-level data (regions, PPI, peers, the cube's aggregates,
  targets, evaluation runs' methods) and are read whole.

A table the store does not classify is refused (fail closed): see :data:`OPEN_TABLES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import ibis

from jingxin.errors import InputError

__all__ = ["CITY_ONLY_TABLES", "OPEN_TABLES", "Scope", "scoped_table"]

# Tables that hold no enterprise-level data: aggregates, reference data, methods.
OPEN_TABLES = frozenset(
    {
        "schema_version",
        "region",
        "measure",
        "price_index",
        "peer_figure",
        "reported_value",
        "cube",
        "target",
        "evaluation_run",
        "id_counter",
        "data_change",
        "derived_state",
    }
)

# Tables that describe enterprises without a key a county filter can use.
CITY_ONLY_TABLES = frozenset(
    {
        "source_file",
        "audit_log",
        "unmatched_row",
        "enterprise_alias",
        "app_user",
        "app_session",
        "energy_entry",  # a movement names both sides, which may be of two counties
        "energy_rejection",
    }
)

_NONE = ibis.literal(False)


@dataclass(frozen=True)
class Scope:
    """The counties whose enterprises a caller may see; ``None`` is the whole city.

    Examples
    --------
    >>> Scope.city().allows("330502")
    True
    >>> Scope.of("330502").allows("330503")
    False
    >>> Scope.of().allows("330502")  # no county: sees nothing (fail closed)
    False
    >>> Scope.of("330502")
    Scope.of('330502')
    """

    regions: frozenset[str] | None

    @classmethod
    def city(cls) -> Scope:
        """The whole city: the bureau's analysts, leaders and the platform's own jobs."""
        return cls(None)

    @classmethod
    def of(cls, *codes: str) -> Scope:
        """The enterprises of these counties only (no code: none at all)."""
        return cls(frozenset(str(c) for c in codes))

    @property
    def is_city(self) -> bool:
        """Whether this scope sees every enterprise."""
        return self.regions is None

    def allows(self, region_code: str | None) -> bool:
        """Whether an enterprise of ``region_code`` is visible in this scope."""
        return self.regions is None or (region_code is not None and region_code in self.regions)

    def __repr__(self) -> str:
        if self.regions is None:
            return "Scope.city()"
        return f"Scope.of({', '.join(repr(c) for c in sorted(self.regions))})"


def scoped_table(
    table: Callable[[str], Any], name: str, columns: Mapping[str, Iterable[str]], scope: Scope
) -> Any:
    """The Ibis table ``name`` with only the rows ``scope`` may see.

    ``columns`` maps every table of the store to its column names; ``table`` gives the
    store's unscoped Ibis table of a name.
    """
    if not isinstance(scope, Scope):
        raise TypeError(f"读取表 {name!r} 须给出 Scope（可见范围），实际为 {scope!r}。")
    if name not in columns:
        raise InputError(f"数据库中没有表 {name!r}。")
    t = table(name)
    cols = set(columns[name])
    if name in OPEN_TABLES or scope.is_city:
        return t
    regions = sorted(scope.regions or ())
    if name in CITY_ONLY_TABLES:
        return t.filter(_NONE)
    if "region_code" in cols and name in ("enterprise", "project", "capacity_case"):
        return t.filter(t.region_code.isin(regions)) if regions else t.filter(_NONE)
    ent = table("enterprise")
    seen = (ent.filter(ent.region_code.isin(regions)) if regions else ent.filter(_NONE)).uscc
    if "uscc" in cols:
        return t.filter(t.uscc.isin(seen))
    if name == "energy_balance":
        acc = table("energy_account")
        return t.filter(t.account.isin(acc.filter(acc.uscc.isin(seen)).account))
    if name == "meter_daily":  # the readings of meters of enterprises in the scope
        grid = table("grid_account")
        return t.filter(t.account.isin(grid.filter(grid.uscc.isin(seen)).account))
    if name == "energy_application":  # an application of which a party is in the scope
        return t.filter(t.buyer.isin(seen) | t.seller.isin(seen))
    if "project_id" in cols:
        proj = table("project")
        own = proj.filter(proj.region_code.isin(regions)) if regions else proj.filter(_NONE)
        return t.filter(t.project_id.isin(own.project_id))
    raise InputError(
        f"表 {name!r} 未登记可见范围规则：请在 jingxin/store/scope.py 中说明它是否含企业数据。"
    )
