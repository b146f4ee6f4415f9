"""``jingxin energy`` on a file store: movements, a retry, a refusal, verify and tampering."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jingxin.cli import app
from jingxin.store import Store
from tests.factories import COUNTIES, Dataset, table


def _store(path: Path) -> list[str]:
    d = Dataset()
    firms = [d.firm(1, COUNTIES[0], "1711"), d.firm(2, COUNTIES[1], "3011")]
    store = Store(path)
    store.load("test", "hand-made", {n: table(n, r) for n, r in d.rows.items() if r})
    store.close()
    return firms


def test_energy_commands(tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    a, b = _store(db)
    run = CliRunner()

    def cli(*args: str, code: int = 0) -> str:
        result = run.invoke(app, ["energy", *args, "--db", str(db)])
        assert result.exit_code == code, result.output
        return result.output

    cli("allocate", "--year", "2016", "--uscc", a, "--tce", "1000", "--by", "测试")
    out = json.loads(cli("transfer", "--id", "T1", "--from", a, "--to", b, "--tce", "250.5",
                         "--price", "400", "--json"))  # fmt: skip
    assert out["ok"] and not out["replayed"] and out["entry"]["tce"] == 250.5
    again = json.loads(cli("transfer", "--id", "T1", "--from", a, "--to", b, "--tce", "250.5",
                           "--price", "400", "--json"))  # fmt: skip
    assert again["replayed"] and again["entry"]["hash"] == out["entry"]["hash"]
    refused = json.loads(cli("transfer", "--id", "T2", "--from", b, "--to", a, "--tce", "999",
                             "--json", code=2))  # fmt: skip
    assert refused == {
        "ok": False,
        "reason": "insufficient",
        "message": f"转出账户余额不足：{b} 余额 250.5 吨标准煤，需 999 吨标准煤",
    }
    assert "已执行" in cli("reverse", "--id", "R1", "--of", "T1")
    held = {x["account"]: x["tce"] for x in json.loads(cli("balance", "--json"))}
    assert held == {a: 1000.0, b: 0.0}
    check = json.loads(cli("verify", "--json"))
    assert check["ok"] and check["entries"] == 3 and check["created_tce"] == 1000

    store = Store(db)
    store.con.execute("update energy_entry set kgce = 1 where id = 'T1'")
    store.close()
    broken = json.loads(cli("verify", "--json", code=1))
    assert not broken["ok"]
    assert any("T1" in p and "改动" in p for p in broken["problems"])
    assert "不一致" in cli("verify", code=1)
