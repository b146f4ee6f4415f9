"""The hostile corpus of department files (issue #4), and what importing each must do.

Every file is made here, from code, so that the corpus documents itself: :data:`CASES` says
for each file the kind it is imported as, the status expected, the exact set of reason codes
the report must carry, and one place (sheet, row, column) an issue must name. The tests build
the corpus once per session under a temporary directory; to look at the files, run::

    python tests/ingest/make_corpus.py tests/data/ingest

The register the files are checked against is :data:`ENTERPRISES` (``register.csv``).
"""

from __future__ import annotations

import csv
import io
import random
import re
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jingxin import uscc
from jingxin.ingest import Reason, xlsx

__all__ = [
    "CASES",
    "ENTERPRISES",
    "GO",
    "PLATFORM_HEADER",
    "VA",
    "Case",
    "Enterprise",
    "build",
    "near_bomb",
    "stats_csv",
    "write_csv",
    "write_register",
]


@dataclass(frozen=True)
class Enterprise:
    uscc: str
    name: str
    region: str  # as the register file writes it: a name or a code
    industry: str


def _code(region: str, seed: int, **kw: str) -> str:
    return uscc.make(region, random.Random(seed), **kw)


ENTERPRISES: tuple[Enterprise, ...] = (
    Enterprise(_code("330502", 1), "湖州吴兴示例纺织有限公司", "吴兴区", "1713"),
    Enterprise(_code("330503", 2), "湖州南浔示例机械有限公司", "330503", "3311"),
    Enterprise(_code("330521", 3), "德清示例丝绸（集团）有限责任公司", "德清县", "1713"),
    # authority "Y" (其他): valid, though python-stdnum's validate() refuses a letter there
    Enterprise(_code("330502", 4, authority="Y"), "湖州示例科技服务中心", "330502", "3311"),
    Enterprise(_code("330522", 5), "长兴示例电池有限公司", "长兴县", "3841"),
)
CODES = [e.uscc for e in ENTERPRISES]

# 1-6月 year-to-date gross output and value added, in 千元 as the platform exports them.
GO = (12005.0, 8500.0, 30202.5, 4100.0, 19999.0)
VA = (2401.0, 1700.0, 6040.5, 820.0, 4000.0)
GO_PRIOR = (11000.0, 8000.0, 29000.0, 3900.0, 18000.0)
VA_PRIOR = (2200.0, 1600.0, 5800.0, 780.0, 3600.0)

PLATFORM_HEADER = [
    "统一社会信用代码",
    "单位详细名称",
    "1-本月;工业总产值(当年价格);千元",
    "上年同期;1-本月;工业总产值(当年价格);千元",
    "1-本月;工业增加值;千元",
    "上年同期;1-本月;工业增加值;千元",
]


@dataclass(frozen=True)
class Case:
    """One corpus file imported one way, and what must come of it."""

    id: str
    file: str
    kind: str
    status: str  # loaded, rejected
    reasons: frozenset[Reason]  # exactly the reason codes the report carries
    at: tuple[Reason, str | None, int | None, str | None] | None = None  # reason, sheet, row, col
    period: str | None = "2016-06"
    correction: bool = False
    setup: tuple[tuple[str, str, str | None], ...] = ()  # (file, kind, period) imported first
    stored: dict[str, float] | None = None  # gross_output (万元) by USCC after a load


def _r(*reasons: Reason) -> frozenset[Reason]:
    return frozenset(reasons)


R = Reason
_GO_COL = "1-本月;工业总产值(当年价格);千元"
_VA_COL = "1-本月;工业增加值;千元"
_GO_WAN = "1-本月;工业总产值(当年价格);万元"
_WAN = {c: g / 10 for c, g in zip(CODES, GO, strict=True)}

CASES: tuple[Case, ...] = (
    Case("gbk_qianyuan", "gbk-千元.csv", "stats_monthly", "loaded", _r(), stored=_WAN),
    Case(
        "gb18030_only_char",
        "gb18030.csv",
        "stats_monthly",
        "loaded",
        _r(R.NAME_MISMATCH),  # 𠮷祥示例纺织有限公司 is not the register's name for the code
        at=(R.NAME_MISMATCH, None, 2, "单位详细名称"),
        stored=_WAN,
    ),
    Case(
        "bom_fullwidth_separators_dashes",
        "bom-全角-千分位.csv",
        "stats_monthly",
        "loaded",
        _r(),
        stored={c: g / 10 for c, g in zip(CODES, GO, strict=True)},
    ),
    Case(
        "merged_header_wanyuan_total_ok",
        "合并表头-万元.xlsx",
        "stats_monthly",
        "loaded",
        _r(),
        stored={c: g / 10 for c, g in zip(CODES, GO, strict=True)},
    ),
    Case("total_ok_csv", "合计正确.csv", "stats_monthly", "loaded", _r(), stored=_WAN),
    Case(
        "hidden_sheet",
        "隐藏工作表.xlsx",
        "stats_monthly",
        "loaded",
        _r(R.HIDDEN),
        at=(R.HIDDEN, "辅助计算", None, None),
    ),
    Case(
        "formula_cached",
        "公式-有缓存值.xlsx",
        "stats_monthly",
        "loaded",
        _r(),
        stored={CODES[0]: 1234.5, **{c: g / 10 for c, g in zip(CODES[1:], GO[1:], strict=True)}},
    ),
    Case(
        "formula_uncached",
        "公式-无缓存值.xlsx",
        "stats_monthly",
        "rejected",
        _r(R.FORMULA),
        at=(R.FORMULA, "月报", 2, _GO_WAN),
    ),
    Case(
        "total_wrong",
        "合计错误.xlsx",
        "stats_monthly",
        "rejected",
        _r(R.TOTAL),
        at=(R.TOTAL, "月报", 11, "工业总产值(当年价格);1-6月"),
    ),
    Case(
        "uscc_check_digit",
        "信用代码校验位错.csv",
        "stats_monthly",
        "rejected",
        _r(R.USCC),
        at=(R.USCC, None, 3, "统一社会信用代码"),
    ),
    Case(
        "uscc_org_check_digit",
        "组织机构代码校验位错.csv",
        "stats_monthly",
        "rejected",
        _r(R.USCC),
        at=(R.USCC, None, 4, "统一社会信用代码"),
    ),
    Case(
        "uscc_scientific_notation",
        "科学计数法.csv",
        "stats_monthly",
        "rejected",
        _r(R.TYPE),
        at=(R.TYPE, None, 2, "统一社会信用代码"),
    ),
    Case(
        "unknown_enterprise",
        "名录外企业.csv",
        "stats_monthly",
        "rejected",
        _r(R.UNKNOWN_ENTERPRISE),
        at=(R.UNKNOWN_ENTERPRISE, None, 6, "统一社会信用代码"),
    ),
    Case(
        "unknown_region",
        "未知地区.csv",
        "register",
        "rejected",
        _r(R.REGION),
        at=(R.REGION, None, 2, "县(市、区)"),  # NFKC-normalised
        period=None,
    ),
    Case(
        "unknown_industry",
        "未知行业.csv",
        "register",
        "rejected",
        _r(R.INDUSTRY),
        at=(R.INDUSTRY, None, 3, "行业代码"),
        period=None,
    ),
    Case(
        "duplicate_key",
        "重复企业.csv",
        "stats_monthly",
        "rejected",
        _r(R.DUPLICATE),
        at=(R.DUPLICATE, None, 7, "统一社会信用代码"),
    ),
    Case(
        "value_added_above_output",
        "增加值大于总产值.csv",
        "stats_monthly",
        "rejected",
        _r(R.CROSS_FIELD),
        at=(R.CROSS_FIELD, None, 5, _VA_COL),
    ),
    Case(
        "ytd_decreasing",
        "累计减少-2016-06.csv",
        "stats_monthly",
        "rejected",
        _r(R.DECREASING),
        at=(R.DECREASING, None, 2, _GO_COL),
        setup=(("累计-2016-05.csv", "stats_monthly", "2016-05"),),
    ),
    Case(
        "ytd_decreasing_correction",
        "累计减少-2016-06.csv",
        "stats_monthly",
        "loaded",
        _r(R.DECREASING),
        at=(R.DECREASING, None, 2, _GO_COL),
        correction=True,
        setup=(("累计-2016-05.csv", "stats_monthly", "2016-05"),),
    ),
    Case("empty_file", "空文件.csv", "stats_monthly", "rejected", _r(R.EMPTY)),
    Case("header_only", "只有表头.csv", "stats_monthly", "rejected", _r(R.EMPTY)),
    Case("png_as_xlsx", "图片.xlsx", "stats_monthly", "rejected", _r(R.UNREADABLE)),
    Case("docx_as_xlsx", "文档.xlsx", "stats_monthly", "rejected", _r(R.UNREADABLE)),
    Case("electricity_as_stats", "用电量.csv", "stats_monthly", "rejected", _r(R.WRONG_KIND)),
    Case(
        "huge_cell_csv",
        "超长单元格.csv",
        "stats_monthly",
        "rejected",
        _r(R.UNSAFE),
        at=(R.UNSAFE, None, 3, None),
    ),
    Case(
        "huge_cell_xlsx",
        "超长单元格.xlsx",
        "stats_monthly",
        "rejected",
        _r(R.UNSAFE),
        at=(R.UNSAFE, "月报", 3, "B"),
    ),
    Case("billion_laughs", "实体扩展.xlsx", "stats_monthly", "rejected", _r(R.UNSAFE)),
    Case(
        "billion_laughs_after_comment",
        "实体扩展-注释后.xlsx",
        "stats_monthly",
        "rejected",
        _r(R.UNSAFE),
    ),
    Case(
        "billion_laughs_workbook_xml",
        "实体扩展-工作簿.xlsx",
        "stats_monthly",
        "rejected",
        _r(R.UNSAFE),
    ),
    Case(
        "doctype_in_relationships",
        "实体扩展-关系.xlsx",
        "stats_monthly",
        "rejected",
        _r(R.UNSAFE),
    ),
    Case("zip_bomb", "压缩炸弹.xlsx", "stats_monthly", "rejected", _r(R.UNSAFE)),
    Case(
        "formula_injection_names",
        "公式注入.csv",
        "stats_monthly",
        "rejected",
        _r(R.TYPE, R.NAME_MISMATCH),  # the injected names are not the register's
        at=(R.TYPE, None, 3, _GO_COL),
    ),
)


# -- writers ----------------------------------------------------------------------------------
def write_csv(
    path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8", *, bom: bool = False
) -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows([["" if v is None else v for v in r] for r in rows])
    data = buf.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_register(path: Path, enterprises: Sequence[Enterprise] = ENTERPRISES) -> Path:
    rows: list[list[Any]] = [["统一社会信用代码", "企业名称", "县（市、区）", "行业代码"]]
    rows += [[e.uscc, e.name, e.region, e.industry] for e in enterprises]
    return write_csv(path, rows)


def _q(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def stats_csv(
    path: Path,
    go: Sequence[float] = GO,
    va: Sequence[float] = VA,
    *,
    codes: Sequence[str] = CODES,
    names: Sequence[str] | None = None,
    encoding: str = "utf-8",
    extra: Sequence[Sequence[Any]] = (),
) -> Path:
    """A platform-style stats_monthly CSV in 千元."""
    names = names or [e.name for e in ENTERPRISES]
    rows: list[list[Any]] = [PLATFORM_HEADER]
    for i, code in enumerate(codes):
        rows.append(
            [
                code,
                names[i % len(names)],
                _q(go[i]),
                _q(GO_PRIOR[i % 5]),
                _q(va[i]),
                _q(VA_PRIOR[i % 5]),
            ]
        )
    rows += [list(r) for r in extra]
    return write_csv(path, rows, encoding)


def _stats_workbook(
    path: Path,
    *,
    total: float | None = None,
    hidden: bool = False,
    formula: str | None = None,
) -> Path:
    """The forwarded form: title, 单位：万元, a two-row merged header, 甲乙 row, 合计, footer."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "月报"
    ws.append(["2016年1-6月规模以上工业企业主要指标"])
    ws.append(["单位：万元"])
    ws.append(
        ["统一社会信用代码", "单位详细名称", "工业总产值(当年价格)", None, "工业增加值", None]
    )
    ws.append([None, None, "1-6月", "上年同期1-6月", "1-6月", "上年同期1-6月"])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:D3")
    ws.merge_cells("E3:F3")
    ws.append(["甲", "乙", 1, 2, 3, 4])
    for e, g, gp, v, vp in zip(ENTERPRISES, GO, GO_PRIOR, VA, VA_PRIOR, strict=True):
        ws.append([e.uscc, e.name, g / 10, gp / 10, v / 10, vp / 10])
    sums = [sum(x) / 10 for x in (GO, GO_PRIOR, VA, VA_PRIOR)]
    if total is not None:
        sums[0] = total
    ws.append(["合  计", None, *sums])  # row 11
    ws.append(["制表人：张三", None, "审核人：李四"])
    if hidden:
        helper = wb.create_sheet("辅助计算")
        helper.append(["统一社会信用代码", "工业总产值", "临时"])
        helper.append(["不是代码", "不是数字", 1])
        helper.sheet_state = "hidden"
    wb.save(path)
    return path


def _formula_workbook(path: Path, *, cached: bool) -> Path:
    """A plain one-row header; the first firm's gross output is a formula ``=1000+234.5``,
    with a cached value (as Excel saves it) or without (as a program that does not calculate
    saves it)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "月报"
    ws.append(["统一社会信用代码", "单位详细名称", _GO_WAN, "1-本月;工业增加值;万元"])
    for i, e in enumerate(ENTERPRISES):
        ws.append([e.uscc, e.name, "=1000+234.5" if i == 0 else GO[i] / 10, VA[i] / 10])
    wb.save(path)
    if cached:
        _rewrite_member(
            path,
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(b"<f>1000+234.5</f><v></v>", b"<f>1000+234.5</f><v>1234.5</v>"),
        )
    return path


def _rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    with zipfile.ZipFile(path) as zf:
        items = [(i, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            zf.writestr(info, change(data) if info.filename == member else data)


_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)


def _with_doctype(xml: bytes, *, pad: int = 0) -> bytes:
    decl_end = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    comment = b"<!--" + b"x" * pad + b"-->" if pad else b""
    body = xml[decl_end:].replace(b"<t>", b"<t>&lol9;", 1)  # and use it, in a cell
    return xml[:decl_end] + comment + _LAUGHS + body


def _laughs_workbook(path: Path, member: str, pad: int = 0) -> Path:
    _stats_workbook(path)
    _rewrite_member(path, member, lambda xml: _with_doctype(xml, pad=pad))
    return path


def _zip_bomb(path: Path) -> Path:
    """A real workbook plus one member of 64 MiB of zeros (about 64 KiB compressed)."""
    _stats_workbook(path)
    block = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as fh:
            for _ in range(64):
                fh.write(block)
    return path


def near_bomb(path: Path, declared: int = 250 * 2**20) -> Path:
    """A real workbook whose sheet, streamed into the ZIP, declares ``declared`` bytes: the
    five enterprises, then as many rows of empty styled cells and padding as the row and cell
    limits allow, so that it stays under both the declared-size and the ratio limits (issue
    part 5). About 2.5 MB on disk for the default 250 MiB."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "月报"
    ws.append(["统一社会信用代码", "单位详细名称", _GO_WAN, "1-本月;工业增加值;万元"])
    for e, g, v in zip(ENTERPRISES, GO, VA, strict=True):
        ws.append([e.uscc, e.name, g / 10, v / 10])
    wb.save(path)
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as zf:
        xml = zf.read(member)
        items = [(i, zf.read(i)) for i in zf.infolist() if i.filename != member]
    head, tail = xml.split(b"</sheetData>")
    head = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', head)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            zf.writestr(info, data)
        with zf.open(member, "w", force_zip64=True) as fh:
            fh.write(head)
            # Just under the row and cell limits too: every row and cell costs the reader.
            n = min(xlsx.MAX_ROWS, xlsx.MAX_CELLS // 4) - 2 * len(ENTERPRISES) - 10
            written, r = len(head), len(ENTERPRISES) + 2
            pad = b" " * max(0, (declared - written) // n - 60)
            while r < n and written < declared - len(tail) - 1000:
                row = b'<row r="%d"><c r="A%d" s="0"/><c s="0"/><c/><c/></row>%s' % (r, r, pad)
                fh.write(row)
                written += len(row)
                r += 1
            fh.write(b"</sheetData>" + tail)
    return path


def _png(path: Path) -> Path:
    import struct
    import zlib

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    png += chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b"")
    path.write_bytes(png)
    return path


def _docx(path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph("关于报送2016年6月规上工业数据的说明")
    tmp = path.with_suffix(".docx")
    doc.save(str(tmp))
    tmp.replace(path)
    return path


def _bad_org_digit(code: str) -> str:
    """``code`` with its organisation-code check digit changed and the final check digit
    recomputed: python-stdnum's check accepts it, GB 11714 does not."""
    from stdnum.cn import uscc as std

    alphabet = "0123456789"
    body = code[:16] + next(d for d in alphabet if d != code[16])
    out = body + std.calc_check_digit(body)
    assert std.is_valid(out) and not uscc.is_valid(out)
    return out


def _wrong_check(code: str) -> str:
    last = "0" if code[-1] != "0" else "1"
    return code[:-1] + last


def _huge_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "月报"
    ws.append(["统一社会信用代码", "单位详细名称", _GO_WAN])
    ws.append([CODES[0], ENTERPRISES[0].name, 1])
    ws.append([CODES[1], "长" * 32_767, 2])  # openpyxl cuts longer strings when writing
    wb.save(path)
    char = b"&#%d;" % ord("长")  # as openpyxl writes it
    _rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(char * 32_767, char * 40_000),
    )
    return path


def _files() -> dict[str, Callable[[Path], Path]]:
    names = [e.name for e in ENTERPRISES]
    reg_header = ["统一社会信用代码", "企业名称", "县（市、区）", "行业代码"]
    e0 = ENTERPRISES[0]
    # full-width digits, thousands separators, spaces, dashes and blanks for missing
    fullwidth = [
        PLATFORM_HEADER,
        [CODES[0], names[0], "１２，００５", "—", "2,401", ""],
        [CODES[1], names[1], "8 500", "--", "１７００", "－"],
        [f" {CODES[2]} ", names[2], "30,202.5", "", "6,040.5", "/"],
        ["　" + CODES[3], names[3], "４１００", "——", "820", "-"],
        [CODES[4].lower(), names[4], "19,999", "…", "4,000", "无"],
    ]
    bomb_names = ['=HYPERLINK("http://x","点击")', "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"]
    injection = [PLATFORM_HEADER]
    for i, code in enumerate(CODES):
        go = "=1+1" if i == 1 else _q(GO[i])
        injection.append([code, bomb_names[i], go, _q(GO_PRIOR[i]), _q(VA[i]), _q(VA_PRIOR[i])])
    return {
        "register.csv": write_register,
        "gbk-千元.csv": lambda p: stats_csv(p, encoding="gbk"),
        "gb18030.csv": lambda p: stats_csv(
            p, names=["𠮷祥示例纺织有限公司", *names[1:]], encoding="gb18030"
        ),
        "bom-全角-千分位.csv": lambda p: write_csv(p, fullwidth, "utf-8", bom=True),
        "合并表头-万元.xlsx": _stats_workbook,
        "合计正确.csv": lambda p: stats_csv(
            p,
            extra=[["合计", None, _q(sum(GO)), _q(sum(GO_PRIOR)), _q(sum(VA)), _q(sum(VA_PRIOR))]],
        ),
        "隐藏工作表.xlsx": lambda p: _stats_workbook(p, hidden=True),
        "公式-有缓存值.xlsx": lambda p: _formula_workbook(p, cached=True),
        "公式-无缓存值.xlsx": lambda p: _formula_workbook(p, cached=False),
        "合计错误.xlsx": lambda p: _stats_workbook(p, total=sum(GO) / 10 + 100),
        "信用代码校验位错.csv": lambda p: stats_csv(
            p, codes=[CODES[0], _wrong_check(CODES[1]), *CODES[2:]]
        ),
        "组织机构代码校验位错.csv": lambda p: stats_csv(
            p, codes=[*CODES[:2], _bad_org_digit(CODES[2]), *CODES[3:]]
        ),
        "科学计数法.csv": lambda p: stats_csv(p, codes=["9.13305E+17", *CODES[1:]]),
        "名录外企业.csv": lambda p: stats_csv(
            p, codes=[*CODES[:4], _code("330523", 99)], go=GO, va=VA
        ),
        "未知地区.csv": lambda p: write_csv(
            p, [reg_header, [e0.uscc, e0.name, "火星区", e0.industry]]
        ),
        "未知行业.csv": lambda p: write_csv(
            p,
            [
                reg_header,
                [e0.uscc, e0.name, e0.region, e0.industry],
                [CODES[1], names[1], "330503", "9999"],
            ],
        ),
        "重复企业.csv": lambda p: stats_csv(
            p, codes=[*CODES, CODES[2]], go=(*GO, 1.0), va=(*VA, 0.5), names=[*names, names[2]]
        ),
        "增加值大于总产值.csv": lambda p: stats_csv(p, va=[*VA[:3], GO[3] + 1, VA[4]]),
        "累计-2016-05.csv": lambda p: stats_csv(p, go=[g * 5 / 6 for g in GO]),
        "累计减少-2016-06.csv": lambda p: stats_csv(
            p, go=[GO[0] * 0.5, *GO[1:]], va=[1.0, *VA[1:]]
        ),
        "空文件.csv": lambda p: (p.write_bytes(b""), p)[1],
        "只有表头.csv": lambda p: write_csv(p, [PLATFORM_HEADER]),
        "图片.xlsx": _png,
        "文档.xlsx": _docx,
        "用电量.csv": lambda p: write_csv(
            p,
            [
                ["户号", "户名", "年月", "用电量(千瓦时)"],
                ["3300000001", names[0], "2016-06", "12345"],
            ],
        ),
        "超长单元格.csv": lambda p: write_csv(
            p,
            [
                PLATFORM_HEADER,
                [CODES[0], names[0], "1", "1", "1", "1"],
                [CODES[1], "长" * 40_000, "1", "1", "1", "1"],
            ],
        ),
        "超长单元格.xlsx": _huge_xlsx,
        "实体扩展.xlsx": lambda p: _laughs_workbook(p, "xl/worksheets/sheet1.xml"),
        "实体扩展-注释后.xlsx": lambda p: _laughs_workbook(p, "xl/worksheets/sheet1.xml", 6000),
        "实体扩展-工作簿.xlsx": lambda p: _laughs_workbook(p, "xl/workbook.xml", 6000),
        "实体扩展-关系.xlsx": lambda p: _laughs_workbook(p, "_rels/.rels"),
        "压缩炸弹.xlsx": _zip_bomb,
        "公式注入.csv": lambda p: write_csv(p, injection),
    }


def build(out: Path) -> dict[str, Path]:
    """Write every corpus file under ``out``; their paths by file name."""
    out.mkdir(parents=True, exist_ok=True)
    return {name: make(out / name) for name, make in _files().items()}


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")
    for name, path in build(target).items():
        print(f"{path.stat().st_size:>10}  {name}")  # noqa: T201
