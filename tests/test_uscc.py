"""USCC validation: both check digits, letter authorities, full-width input."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jingxin import uscc
from jingxin.errors import InputError

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        pytest.param("91110000600037341L", None, id="valid"),
        pytest.param("９１１１００００６０００３７３４１Ｌ", None, id="full-width"),
        pytest.param("91110000600037341M", "校验码错误", id="bad-check-digit"),
        pytest.param("9111000060003734", "长度", id="too-short"),
        pytest.param("Z1110000600037341L", "登记管理部门", id="bad-authority"),
        pytest.param("91110000600037342P", "组织机构代码", id="bad-org-check-digit"),
        pytest.param("911100006000373O1L", "不允许的字符", id="letter-O"),
    ],
)
def test_check_reason(code: str, reason: str | None) -> None:
    got = uscc.check_reason(code)
    if reason is None:
        assert got is None
    else:
        assert got is not None and reason in got


def test_letter_authority_is_accepted() -> None:
    # stdnum's validate() rejects a letter in the first position; GB 32100 allows Y (其他).
    from stdnum.cn.uscc import calc_check_digit
    from stdnum.cn.uscc import is_valid as std_is_valid

    body = "Y1330522" + "12345678"
    org = body[8:] + uscc._org_check(body[8:])
    head = body[:8] + org
    code = head + calc_check_digit(head)
    assert uscc.is_valid(code)
    assert not std_is_valid(code)


def test_validate_raises_chinese_error() -> None:
    with pytest.raises(InputError, match="统一社会信用代码"):
        uscc.validate("123")


@given(st.integers(0, 10**9), st.integers(0, 16), st.sampled_from(_ALPHABET))
def test_made_codes_are_valid_and_any_single_change_is_caught(seed: int, pos: int, ch: str) -> None:
    code = uscc.make("330502", random.Random(seed))
    assert uscc.is_valid(code)
    mutated = code[:pos] + ch + code[pos + 1 :]
    if mutated != code:
        assert not uscc.is_valid(mutated)
