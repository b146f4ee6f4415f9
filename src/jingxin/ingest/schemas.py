"""The shape of a source: its columns (Chinese headers, aliases, types, units), the store
tables it fills and how its records become their rows. The concrete sources are declared
in the package :mod:`jingxin.ingest.kinds`, one module per sender.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from jingxin.ingest.cells import as_typed

if TYPE_CHECKING:
    from pathlib import Path

    import pyarrow as pa

    from jingxin.ingest.context import Context

__all__ = ["Built", "CellType", "Column", "Kind", "Record"]

CellType = Literal[
    "text", "code", "uscc", "number", "int", "date", "period", "year", "region", "industry"
]


@dataclass(frozen=True)
class Column:
    """One column of a source.

    ``label`` is the header a template writes; ``aliases`` are other headers that mean the
    same. ``dim`` names what an amount measures (money, electricity, area, mass, energy,
    count), so that a unit found in the header or title converts it to the store's unit;
    ``unit`` is the unit assumed when the file names none. ``qualifier`` tells 1-本月 values
    (``ytd``) from 上年同期 ones (``prior_ytd``). A ``pattern`` column matches many headers
    (``电量(\\d{6})``); its group 1 is kept with the value. ``accumulates`` marks a
    year-to-date sum of a flow (产值, 增加值, 营业收入, 税金, 能耗): it never falls below last
    month's and is checked against the enterprise's own months — not profit, which may fall,
    nor a stock such as employees.
    """

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    type: CellType = "text"
    dim: str | None = None
    unit: str | None = None
    required: bool = False
    qualifier: str = ""
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    choices: tuple[str, ...] = ()  # allowed values (after mapping), for templates too
    note: str = ""  # shown in the template's second row
    template: tuple[str, ...] = ()  # for a pattern column: the headers a template writes
    accumulates: bool = False  # a year-to-date flow: never below last month's

    def header(self) -> str:
        """The header a template writes: ``用地面积(亩)``, or the platform's form for a
        qualified column, ``上年同期;1-本月;工业总产值(当年价格);千元``."""
        if self.qualifier:
            prefix = {"ytd": "1-本月", "prior_ytd": "上年同期;1-本月"}[self.qualifier]
            return f"{prefix};{self.label};{self.unit}" if self.unit else f"{prefix};{self.label}"
        return f"{self.label}({self.unit})" if self.unit else self.label


@dataclass
class Record:
    """One data row: where it came from, its parsed values (store units) and, for messages,
    each cell as typed with the unit its column is in."""

    sheet: str | None
    row: int  # 1-based, as the sender sees it
    values: dict[str, Any]
    headers: dict[str, str]  # key → header text, for messages
    series: dict[str, dict[str, float | None]] = field(default_factory=dict)  # pattern columns
    cols: dict[str, int] = field(default_factory=dict)  # key → 1-based column number
    raw: dict[str, Any] = field(default_factory=dict)  # key → the cell as read
    units: dict[str, str] = field(default_factory=dict)  # key → the unit the cell is in

    def at(self, key: str | None = None) -> dict[str, Any]:
        """Where this record (and its ``key`` cell) is, for an issue: sheet, row, column."""
        k = key or ""
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.headers.get(k),
            "col": self.cols.get(k),
        }

    def typed(self, key: str) -> str | None:
        """The cell of ``key`` as the sender typed it, with its column's unit.

        >>> rec = Record(None, 2, {"go": 6000.0}, {}, raw={"go": " 60,000"}, units={"go": "千元"})
        >>> rec.typed("go")
        '60,000 千元'
        """
        return as_typed(self.raw.get(key), self.units.get(key))


@dataclass
class Built:
    """What a source's records become: store tables, plus rows held for an analyst."""

    tables: dict[str, pa.Table]
    upsert: dict[str, tuple[str, ...]] = field(default_factory=dict)
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)  # primary keys, for diffs
    unmatched: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Kind:
    """A source: how to recognise its files and turn their rows into store rows.

    ``tables`` names the store tables the source fills; their columns, Arrow types and keys
    are the store's own (:mod:`jingxin.store.catalog`), never restated here.
    """

    key: str
    label: str  # Chinese name, as in 文件类型
    sender: str  # 统计局, 税务局, 供电公司 ...
    columns: tuple[Column, ...]
    build: Callable[[list[Record], Context], Built]
    tables: tuple[str, ...] = ()
    period: Literal["month", "year", "none"] = "month"
    example: dict[str, Any] = field(default_factory=dict)
    doc: str = ""
    at_least_one_of: tuple[str, ...] = ()  # keys of which a file must have one or more
    parts: tuple[tuple[str, str], ...] = ()  # (part, whole): a part never exceeds its whole
    enterprise_name: str | None = None  # the column naming the enterprise, checked against
    # the register's name when the row's credit code is registered
    read: Callable[[Path, Context], Built | None] | None = None  # a source of millions of
    # plain rows (daily meter readings) reads and checks its file as columns instead

    @property
    def required(self) -> tuple[Column, ...]:
        """The columns a file must have."""
        return tuple(c for c in self.columns if c.required)

    def column(self, key: str) -> Column:
        """The column called ``key``."""
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)
