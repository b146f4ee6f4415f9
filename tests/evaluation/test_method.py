"""Method files: presets, validation messages, canonical hash, published formulas."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from jingxin.errors import ConfigError
from jingxin.evaluation import evaluate, load_method, parse_method, preset_names
from jingxin.store import Store
from jingxin.uscc import make
from tests.evaluation.helpers import WORKED_METHOD


@pytest.mark.parametrize("name", preset_names())
def test_presets_load(name: str) -> None:
    m = load_method(name).method
    assert m.cohorts and all(c.indicators for c in m.cohorts)


def test_default_scheme_is_huzhou_style() -> None:
    m = load_method("default").method
    above, below = m.cohorts
    assert [i.weight for i in above.indicators] == [30, 20, 20, 10, 10, 10]
    assert [i.weight for i in below.indicators] == [50, 50]
    assert below.min_land_mu == 5


def test_errors_name_the_file_and_the_key(tmp_path: Path) -> None:
    text = WORKED_METHOD.read_text("utf-8")
    bad = tmp_path / "m.toml"
    bad.write_text(text.replace('mode = "fixed", value = 10', 'mode = "fixd", value = 10'), "utf-8")
    with pytest.raises(ConfigError, match=r"m\.toml.*cohorts\.0\.indicators\.0\.benchmark\.mode"):
        load_method(bad)
    bad.write_text(
        text.replace('formula = "taxes / land_mu"', 'formula = "__import__(1)"', 1), "utf-8"
    )
    with pytest.raises(ConfigError, match="只能使用输入列"):
        load_method(bad)
    bad.write_text(
        text.replace("cutoffs = [0.25, 0.50, 0.75]", "cutoffs = [0.5, 0.25, 0.75]"), "utf-8"
    )
    with pytest.raises(ConfigError, match="递增"):
        load_method(bad)
    with pytest.raises(ConfigError, match="不存在"):
        load_method(tmp_path / "none.toml")


def test_hash_ignores_comments_but_not_rules() -> None:
    text = WORKED_METHOD.read_text("utf-8")
    a = parse_method(text)
    b = parse_method("# another comment\n" + text)
    c = parse_method(text.replace("cap = 1.5", "cap = 2"))
    assert a.sha256() == b.sha256() != c.sha256()


@pytest.mark.parametrize("year", [2021, 2022])
def test_huangyan_presets_reproduce_the_published_formula(year: int) -> None:
    # One above-scale firm; its score by the literal published formula (S5) must come out.
    store = Store(":memory:")
    u = make("330502", __import__("random").Random(7))
    store.load(
        "test",
        "one firm",
        {
            "enterprise": pa.table(
                {
                    "uscc": [u],
                    "name": ["黄岩示例公司"],
                    "region_code": ["330502"],
                    "platform": pa.nulls(1, pa.string()),
                    "industry_code": ["3411"],
                    "industry_edition": ["2017"],
                    "founded": [date(2000, 1, 1)],
                    "land_mu": [30.0],
                    "flags": pa.array([[]], pa.list_(pa.string())),
                }
            ),
            "enterprise_scale": pa.table({"uscc": [u], "year": [year], "scale": ["above"]}),
            "enterprise_annual": pa.table(
                {
                    "uscc": [u],
                    "year": [year],
                    "land_mu": [30.0],
                    "taxes": [700.0],
                    "revenue": [12000.0],
                    "value_added": [3600.0],
                    "rd_expense": [360.0],
                    "employees": [200.0],
                    "energy_tce": [1500.0],
                    "electricity": [900.0],
                }
            ),
            "emission": pa.table(
                {"uscc": [u], "year": [year], "pollutant": ["cod"], "tonnes": [0.8]}
            ),
        },
    )
    ev = evaluate(store.ibis, year, load_method(f"huangyan-{year}"))
    b = {
        2022: (24.097, 136.16, 2.694, 4929.81, 18.14, 0.0302),
        2021: (26.01, 132.27, 2.54, 4861.08, 17.45, 0.0305),
    }[year]
    published = (
        700 / 30 / b[0] * 30
        + 3600 / 30 / b[1] * 20
        + 3600 / 1500 / b[2] * 20
        + 3600 / 0.8 / b[3] * 10
        + 3600 / 200 / b[4] * 10
        + 360 / 12000 / b[5] * 10
    )
    assert ev.results.column("total_score")[0].as_py() == pytest.approx(published, rel=1e-12)
