"""Beijing time: the store keeps UTC; people read 北京时间 (UTC+8, no daylight saving)."""

from __future__ import annotations

from datetime import datetime, timedelta

__all__ = ["BEIJING", "beijing"]

BEIJING = timedelta(hours=8)


def beijing(at: datetime | None, timespec: str = "minutes") -> str | None:
    """A stored time (UTC) as Beijing time, to the minute (or ``timespec``).

    >>> beijing(datetime(2016, 12, 31, 17, 5)), beijing(None)
    ('2017-01-01 01:05', None)
    >>> beijing(datetime(2016, 12, 31, 17, 5, 9), "seconds")
    '2017-01-01 01:05:09'
    """
    return None if at is None else (at + BEIJING).isoformat(sep=" ", timespec=timespec)
