"""What a source's rules need to know while a file is read: the register, the crosswalks,
the reference tables, the file's period, and where problems go.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from jingxin import uscc as uscc_mod
from jingxin.ingest.issues import Issues, Reason
from jingxin.reference import industries, regions

if TYPE_CHECKING:
    from jingxin.ingest.schemas import Record
    from jingxin.store import Store

__all__ = ["Context", "normalise_name"]

_NAME_DROP = re.compile(r"[\s()（）【】\[\]「」<>《》·.,，、\-_\"'“”‘’]")


def normalise_name(name: str) -> str:
    """An enterprise name reduced for matching (never for display).

    Full-width forms, brackets, spaces and punctuation go; 有限责任公司 and 有限公司 agree.

    >>> normalise_name("湖州示例（集团）有限责任公司") == normalise_name("湖州示例 (集团) 有限公司")
    True
    """
    s = unicodedata.normalize("NFKC", name)
    s = _NAME_DROP.sub("", s)
    return s.replace("有限责任公司", "有限公司").replace("股份有限公司", "股份公司").upper()


@dataclass
class Context:
    """Lookups for one import, read from the store once."""

    store: Store
    issues: Issues
    period: str | None = None  # YYYY-MM or YYYY, from the command line or the file
    correction: bool = False  # the sender marks the file as a correction
    seen: dict[str, set[tuple[object, ...]]] = field(default_factory=dict)
    records: dict[tuple[str | None, int], Record] = field(default_factory=dict)  # the file's
    # data rows by (sheet, row), for checks of built rows that quote the cell as typed

    @cached_property
    def enterprises(self) -> dict[str, tuple[str, str]]:
        return self.store.enterprises()

    @cached_property
    def aliases(self) -> dict[str, str]:
        return self.store.aliases()

    @cached_property
    def grid_accounts(self) -> dict[str, str]:
        return self.store.grid_accounts()

    @cached_property
    def names(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for code, (name, _) in self.enterprises.items():
            out.setdefault(normalise_name(name), []).append(code)
        return out

    @cached_property
    def _regions(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for r in regions().values():
            out[r.code] = r.code
            out.setdefault(r.name, r.code)
        return out

    @cached_property
    def _industries(self) -> set[str]:
        return set(industries())

    # -- checks that report into issues ------------------------------------------------------
    def uscc(self, rec: Record, key: str, *, required: bool = True) -> str | None:
        """The record's credit code if valid; otherwise an error at its cell and ``None``."""
        code = rec.values.get(key)
        if code is None:
            return None
        reason = uscc_mod.check_reason(code)
        if reason is not None:
            self.issues.error(
                Reason.USCC,
                f"统一社会信用代码无效（{reason}）：应为 18 位且两处校验位正确",
                **rec.at(key),
                value=code,
            )
            return None
        return str(code)

    def known(self, rec: Record, code: str, key: str) -> bool:
        """Whether the enterprise is in the register; an error at the cell if not."""
        if code in self.enterprises:
            return True
        self.issues.error(
            Reason.UNKNOWN_ENTERPRISE,
            "企业不在企业名录中：请先导入企业名录（jingxin import register）或核对代码",
            **rec.at(key),
            value=code,
        )
        return False

    def region(self, rec: Record, key: str) -> str | None:
        """A county-level region code from a code or a name; an error if unknown."""
        text = rec.values.get(key)
        if text is None:
            return None
        code = self._regions.get(str(text))
        if code is None:
            self.issues.error(
                Reason.REGION,
                "未知的行政区划：应为 GB/T 2260 代码（如 330502）或名称（如 吴兴区）",
                **rec.at(key),
                value=text,
            )
        return code

    def industry(self, rec: Record, key: str, digits: int = 4) -> str | None:
        """A GB/T 4754-2017 code of ``digits`` digits; an error if unknown."""
        code = rec.values.get(key)
        if code is None:
            return None
        if not (code in self._industries and len(code) == digits and code.isdigit()):
            what = "小类（4 位）" if digits == 4 else "大类（2 位）"
            self.issues.error(
                Reason.INDUSTRY,
                f"未知的国民经济行业代码：应为 GB/T 4754-2017 的{what}代码",
                **rec.at(key),
                value=code,
            )
            return None
        return str(code)

    def once(self, table: str, key: tuple[object, ...], rec: Record, column: str) -> bool:
        """False (and an error) if ``key`` was already seen in this file for ``table``."""
        seen = self.seen.setdefault(table, set())
        if key in seen:
            self.issues.error(
                Reason.DUPLICATE,
                "同一文件中重复的记录：每个键只能出现一次",
                **rec.at(column),
                value="/".join(str(k) for k in key),
            )
            return False
        seen.add(key)
        return True

    def match_name(self, name: str | None) -> tuple[str | None, str | None]:
        """An enterprise for a name: (confirmed USCC, or None; suggested USCC, or None).

        A confirmed alias resolves; a unique normalised-name match is only a suggestion.
        """
        if not name:
            return None, None
        key = normalise_name(name)
        if key in self.aliases:
            return self.aliases[key], None
        hits = self.names.get(key, [])
        return None, hits[0] if len(hits) == 1 else None
