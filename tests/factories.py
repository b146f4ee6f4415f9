"""Small builders for hand-made test data in an in-memory store.

Tests state only the figures that matter; everything else is filled in: measure columns
default to 0, names to ``企业<n>``, the industry edition to GB/T 4754-2017.

Examples
--------
>>> d = Dataset()
>>> a = d.firm(1, "330502", "1711", above=(2016,))
>>> d.fact(a, "2016-12", gross_output=120, gross_output_prior=100)
>>> store = d.store()  # fills PPI = 100 for every (division, period) of the facts
>>> store.con.execute("select gross_output, profit from monthly_fact").fetchall()
[(120.0, 0.0)]
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import pyarrow as pa

from jingxin.reference.tables import INDUSTRY_EDITION
from jingxin.store import Store
from jingxin.store.schema import FACT_MEASURES
from jingxin.uscc import make

__all__ = [
    "CITY",
    "COUNTIES",
    "PROVINCE",
    "SCHEMAS",
    "Dataset",
    "fact_row",
    "make_store",
    "table",
    "uscc",
]

PROVINCE = "330000"
CITY = "330500"  # 湖州市
COUNTIES = ("330502", "330503", "330521", "330522", "330523")  # 吴兴 南浔 德清 长兴 安吉

_S = pa.string()
_F = pa.float64()

MEASURE_COLUMNS = tuple(c for m in FACT_MEASURES for c in (m, f"{m}_prior"))
"""Every value column of ``monthly_fact``: each measure and its ``_prior``."""

SCHEMAS: dict[str, pa.Schema] = {
    "enterprise": pa.schema(
        [
            ("uscc", _S),
            ("name", _S),
            ("region_code", _S),
            ("platform", _S),
            ("industry_code", _S),
            ("industry_edition", _S),
            ("founded", pa.date32()),
            ("land_mu", _F),
            ("flags", pa.list_(_S)),
        ]
    ),
    "enterprise_scale": pa.schema([("uscc", _S), ("year", pa.int32()), ("scale", _S)]),
    "monthly_fact": pa.schema([("uscc", _S), ("period", _S), *((c, _F) for c in MEASURE_COLUMNS)]),
    "electricity": pa.schema([("uscc", _S), ("period", _S), ("kwh", _F)]),
    "price_index": pa.schema([("division", _S), ("period", _S), ("ppi", _F)]),
    "peer_figure": pa.schema(
        [
            ("indicator", _S),
            ("region_code", _S),
            ("period", _S),
            ("value", _F),
            ("growth_pct", _F),
        ]
    ),
    "reported_value": pa.schema(
        [("indicator", _S), ("region_code", _S), ("period", _S), ("value", _F)]
    ),
}


def uscc(n: int, county: str = COUNTIES[0]) -> str:
    """A valid USCC registered in ``county``, the same for the same ``n``.

    Examples
    --------
    >>> uscc(1, "330522") == uscc(1, "330522")
    True
    >>> uscc(1, "330522")[2:8]
    '330522'
    """
    return make(county, random.Random(n))


def fact_row(code: str, period: str, **values: float) -> dict[str, Any]:
    """A ``monthly_fact`` row: the given measure columns, every other one 0.

    Examples
    --------
    >>> r = fact_row("X", "2016-12", profit=5, profit_prior=4)
    >>> r["profit"], r["profit_prior"], r["taxes"], r["taxes_prior"]
    (5.0, 4.0, 0.0, 0.0)
    """
    unknown = set(values) - set(MEASURE_COLUMNS)
    if unknown:
        raise ValueError(f"not a monthly_fact measure column: {sorted(unknown)}")
    row: dict[str, Any] = {"uscc": code, "period": period}
    row.update({c: float(values.get(c, 0.0)) for c in MEASURE_COLUMNS})
    return row


def table(name: str, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Rows as an Arrow table with the column types of store table ``name``."""
    return pa.Table.from_pylist([dict(r) for r in rows], schema=SCHEMAS[name])


def make_store(tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> Store:
    """A fresh ``Store(":memory:")`` with ``tables`` (name → rows) loaded as one source."""
    store = Store(":memory:")
    arrow = {name: table(name, rows) for name, rows in tables.items() if rows}
    store.load("test", "hand-made", arrow)
    return store


class Dataset:
    """Collects rows for the store's tables; ``store()`` loads them into a fresh store."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in SCHEMAS}

    def firm(
        self,
        n: int,
        county: str,
        industry_code: str,
        *,
        above: Iterable[int] = (),
        below: Iterable[int] = (),
        flags: Iterable[str] = (),
        founded: date | None = None,
    ) -> str:
        """Register enterprise number ``n`` and its scale by year; return its USCC."""
        code = uscc(n, county)
        self.rows["enterprise"].append(
            {
                "uscc": code,
                "name": f"企业{n}",
                "region_code": county,
                "platform": None,
                "industry_code": industry_code,
                "industry_edition": INDUSTRY_EDITION,
                "founded": founded,
                "land_mu": None,
                "flags": list(flags),
            }
        )
        for year in above:
            self.rows["enterprise_scale"].append({"uscc": code, "year": year, "scale": "above"})
        for year in below:
            self.rows["enterprise_scale"].append({"uscc": code, "year": year, "scale": "below"})
        return code

    def fact(self, code: str, period: str, **values: float) -> None:
        """A monthly (year-to-date) fact; unspecified measures are 0."""
        self.rows["monthly_fact"].append(fact_row(code, period, **values))

    def kwh(self, code: str, period: str, kwh: float) -> None:
        """Single-month electricity use of one user."""
        self.rows["electricity"].append({"uscc": code, "period": period, "kwh": float(kwh)})

    def ppi(self, division: str, period: str, ppi: float) -> None:
        """A division's year-to-date PPI (same period last year = 100)."""
        self.rows["price_index"].append({"division": division, "period": period, "ppi": ppi})

    def peer(
        self,
        indicator: str,
        region_code: str,
        period: str,
        value: float | None = None,
        growth_pct: float | None = None,
    ) -> None:
        """A published figure of another city or of the province."""
        self.rows["peer_figure"].append(
            {
                "indicator": indicator,
                "region_code": region_code,
                "period": period,
                "value": value,
                "growth_pct": growth_pct,
            }
        )

    def reported(self, indicator: str, region_code: str, period: str, value: float) -> None:
        """A value a county reports."""
        self.rows["reported_value"].append(
            {"indicator": indicator, "region_code": region_code, "period": period, "value": value}
        )

    def fill_ppi(self, ppi: float = 100.0) -> None:
        """Give every (division, period) of the facts without a PPI row the index ``ppi``."""
        industry = {r["uscc"]: r["industry_code"][:2] for r in self.rows["enterprise"]}
        have = {(r["division"], r["period"]) for r in self.rows["price_index"]}
        for f in self.rows["monthly_fact"]:
            key = (industry.get(f["uscc"], ""), f["period"])
            if key[0] and key not in have:
                have.add(key)
                self.ppi(key[0], key[1], ppi)

    def store(self, *, fill_ppi: float | None = 100.0) -> Store:
        """A fresh in-memory store with the collected rows.

        ``fill_ppi`` (default 100) completes the price index first; None leaves it as given.
        """
        if fill_ppi is not None:
            self.fill_ppi(fill_ppi)
        return make_store(self.rows)
