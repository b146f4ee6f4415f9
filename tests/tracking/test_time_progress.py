"""时间进度: the share of the year elapsed, by month and by days, and how far ahead or behind."""

from __future__ import annotations

import pytest

from jingxin.errors import InputError
from jingxin.tracking.projects import elapsed_pct, schedule_gap_pp


@pytest.mark.parametrize(("period", "pct"), [("2016-01", 100 / 12), ("2016-06", 50.0)])
def test_by_month_counts_whole_months(period: str, pct: float) -> None:
    assert elapsed_pct(period) == pytest.approx(pct)


@pytest.mark.parametrize("year", [2015, 2016, 2000, 1900])
def test_december_is_the_whole_year_both_ways(year: int) -> None:
    assert elapsed_pct(f"{year}-12") == pytest.approx(100.0)
    assert elapsed_pct(f"{year}-12", by_days=True) == pytest.approx(100.0)
    assert elapsed_pct(f"{year}-12-31", by_days=True) == pytest.approx(100.0)


def test_by_days_counts_the_leap_day() -> None:
    # 2016: 31 + 29 = 60 of 366 days; 2015: 31 + 28 = 59 of 365.
    assert elapsed_pct("2016-02", by_days=True) == pytest.approx(60 / 366 * 100)
    assert elapsed_pct("2015-02", by_days=True) == pytest.approx(59 / 365 * 100)
    assert elapsed_pct("2016-02", by_days=True) > elapsed_pct("2015-02", by_days=True)
    # After February a leap year is behind a common year's share on the same calendar day.
    assert elapsed_pct("2016-03", by_days=True) == pytest.approx(91 / 366 * 100)
    assert elapsed_pct("2015-03", by_days=True) == pytest.approx(90 / 365 * 100)
    # 1900 was not a leap year, 2000 was.
    assert elapsed_pct("1900-02", by_days=True) == pytest.approx(59 / 365 * 100)
    assert elapsed_pct("2000-02", by_days=True) == pytest.approx(60 / 366 * 100)


def test_partial_months() -> None:
    # 15 February 2016: a month and 15/29 of one by month; 46 of 366 days by days.
    assert elapsed_pct("2016-02-15") == pytest.approx((1 + 15 / 29) / 12 * 100)
    assert elapsed_pct("2016-02-15", by_days=True) == pytest.approx(46 / 366 * 100)
    assert elapsed_pct("2015-02-15") == pytest.approx((1 + 15 / 28) / 12 * 100)
    # The last day of a month is the whole month.
    assert elapsed_pct("2016-02-29") == pytest.approx(elapsed_pct("2016-02"))
    assert elapsed_pct("2016-06-30", by_days=True) == pytest.approx(
        elapsed_pct("2016-06", by_days=True)
    )
    # 1 January is one day of the year, not none.
    assert elapsed_pct("2016-01-01", by_days=True) == pytest.approx(100 / 366)


def test_a_day_that_does_not_exist_is_refused() -> None:
    with pytest.raises(InputError, match="只有 28 天"):
        elapsed_pct("2015-02-29")


def test_schedule_gap_in_percentage_points() -> None:
    # 74% of the annual target done by the end of August: 66.67% of the year gone, +7.33 pp.
    assert schedule_gap_pp(74.0, "2016-08") == pytest.approx(74 - 800 / 12)
    assert round(schedule_gap_pp(74.0, "2016-08"), 2) == 7.33
    # 时间过半、任务过半: exactly on time in June.
    assert schedule_gap_pp(50.0, "2016-06") == pytest.approx(0.0)
    # Behind by days in a leap year: 45% at the end of June is 45 less 182 of 366 days' share.
    gap = schedule_gap_pp(45.0, "2016-06", by_days=True)
    assert gap == pytest.approx(45 - 182 / 366 * 100)
    assert gap < 0
