"""统一社会信用代码 (USCC, GB 32100-2015): validation and generation.

python-stdnum's ``cn.uscc`` checks the final check digit but rejects real codes whose
first character (the registering authority) is a letter, such as ``Y`` (其他), and does not
check the embedded organisation code's own check digit (GB 11714). Both are covered here.
"""

from __future__ import annotations

import random

from stdnum.cn import uscc as _std

from jingxin.errors import InputError

__all__ = ["check_reason", "is_valid", "make", "normalise", "validate"]

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_AUTHORITIES = set("123456789ANY")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _org_check(body: str) -> str:
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    r = 11 - total % 11
    return "X" if r == 10 else "0" if r == 11 else str(r)


def normalise(code: str) -> str:
    """Upper-case, strip spaces and full-width characters.

    Examples
    --------
    >>> normalise(" ９１３３０５２２ ")
    '91330522'
    """
    out = []
    for ch in code.strip():
        o = ord(ch)
        if 0xFF01 <= o <= 0xFF5E:  # full-width ASCII
            ch = chr(o - 0xFEE0)
        if ch in " -\u3000":
            continue
        out.append(ch.upper())
    return "".join(out)


def check_reason(code: str) -> str | None:
    """Why ``code`` is not a valid USCC, in Chinese, or None when it is valid.

    Examples
    --------
    >>> check_reason("91110000600037341L") is None
    True
    >>> check_reason("91110000600037341M")
    '校验码错误：末位应为 L'
    """
    c = normalise(code)
    if len(c) != 18:
        return f"长度应为 18 位，实际为 {len(c)} 位"
    if c[0] not in _AUTHORITIES:
        return f"第 1 位登记管理部门代码 {c[0]!r} 无效"
    if not c[2:8].isdigit():
        return "第 3-8 位应为行政区划代码（6 位数字）"
    if any(ch not in _ALPHABET for ch in c[1:]):
        return "含有不允许的字符（不使用 I、O、S、V、Z）"
    # stdnum's check-digit arithmetic covers letters in every position; its validate()
    # does not accept a letter in the first position, so it is not used.
    expected = _std.calc_check_digit(c[:17])
    if c[17] != expected:
        return f"校验码错误：末位应为 {expected}"
    org = c[8:17]
    if org[:8].isalnum() and all(ch in _ORG_ALPHABET for ch in org):
        if org[8] != _org_check(org[:8]):
            return f"第 9-17 位组织机构代码的校验位应为 {_org_check(org[:8])}"
    return None


def is_valid(code: str) -> bool:
    """Whether ``code`` is a valid USCC (both check digits).

    Examples
    --------
    >>> is_valid(make("330522", random.Random(1)))
    True
    """
    return check_reason(code) is None


def validate(code: str) -> str:
    """The normalised code, or InputError saying what is wrong."""
    reason = check_reason(code)
    if reason:
        raise InputError(f"统一社会信用代码 {code!r} 无效：{reason}。")
    return normalise(code)


def make(region_code: str, rng: random.Random, *, authority: str = "9", kind: str = "1") -> str:
    """A random valid USCC registered in ``region_code`` (for the demo and tests)."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    org = body + _org_check(body)
    head = f"{authority}{kind}{region_code}{org}"
    return head + _std.calc_check_digit(head)
