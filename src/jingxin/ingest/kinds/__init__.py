"""The department sources the platform reads, one module per sender, declared as data:
columns with Chinese headers and aliases, types and units, the store tables each fills,
and how rows become store rows.

A builder receives parsed records (values already in the store's units) and the import's
:class:`~jingxin.ingest.context.Context`; it reports row problems into ``ctx.issues`` and
returns the tables to load, built with the store's own schemas
(:mod:`jingxin.store.catalog`). One-to-one sources share one builder
(:func:`~jingxin.ingest.kinds.one_to_one.one_to_one`). Rows whose enterprise cannot be
told from a usable key are not dropped: they are held in ``unmatched_row`` with a
suggestion for an analyst.
"""

from __future__ import annotations

from jingxin.ingest.kinds.capacity import CAPACITY_CASE
from jingxin.ingest.kinds.environment import EMISSION, INCIDENT
from jingxin.ingest.kinds.grid import ELECTRICITY, GRID_ACCOUNT, METER_DAILY
from jingxin.ingest.kinds.land import LAND
from jingxin.ingest.kinds.mujun import MUJUN
from jingxin.ingest.kinds.peers import PEER_FIGURE, REPORTED_VALUE
from jingxin.ingest.kinds.pools import POOL
from jingxin.ingest.kinds.projects import PROJECT, PROJECT_PROGRESS
from jingxin.ingest.kinds.register import REGISTER
from jingxin.ingest.kinds.statistics import PRICE_INDEX, STATS_MONTHLY
from jingxin.ingest.kinds.targets import TARGET
from jingxin.ingest.kinds.tax import TAX
from jingxin.ingest.schemas import Kind

__all__ = [
    "CAPACITY_CASE",
    "ELECTRICITY",
    "EMISSION",
    "GRID_ACCOUNT",
    "INCIDENT",
    "KINDS",
    "LAND",
    "METER_DAILY",
    "MUJUN",
    "PEER_FIGURE",
    "POOL",
    "PRICE_INDEX",
    "PROJECT",
    "PROJECT_PROGRESS",
    "REGISTER",
    "REPORTED_VALUE",
    "STATS_MONTHLY",
    "TARGET",
    "TAX",
    "get_kind",
]

# In the order the command line lists them (and a first import would take them).
KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        REGISTER,
        STATS_MONTHLY,
        GRID_ACCOUNT,
        ELECTRICITY,
        METER_DAILY,
        TAX,
        LAND,
        EMISSION,
        INCIDENT,
        MUJUN,
        PRICE_INDEX,
        PEER_FIGURE,
        REPORTED_VALUE,
        PROJECT,
        PROJECT_PROGRESS,
        TARGET,
        POOL,
        CAPACITY_CASE,
    )
}


def get_kind(key: str) -> Kind:
    """The source called ``key``; an error listing the known ones otherwise.

    Examples
    --------
    >>> get_kind("tax").label
    '入库税收'
    >>> get_kind("taxes")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    jingxin.errors.InputError: 未知的文件类型 'taxes'：...
    """
    from jingxin.errors import InputError

    try:
        return KINDS[key]
    except KeyError:
        known = "、".join(f"{k}（{v.label}）" for k, v in KINDS.items())
        raise InputError(f"未知的文件类型 {key!r}：可用的类型为 {known}。") from None
