"""Amounts in Chinese capital numerals (大写金额) by the rules of 《支付结算办法》, and money in figures."""

from __future__ import annotations

import pytest

from core.documents import amount_in_words, integer_in_words, money
from core.errors import ValidationError


@pytest.mark.parametrize(("fen", "words"), [
    (0, "零元整"),
    (1, "壹分"),
    (5, "伍分"),
    (50, "伍角整"),  # 整 after 角 when there are no 分
    (55, "伍角伍分"),
    (100, "壹元整"),
    (1000, "壹拾元整"),  # money keeps 壹 before 拾
    (100050, "壹仟元伍角整"),
    (100005, "壹仟元零伍分"),  # 角 zero, 分 not: 零 after 元
    (168032, "壹仟陆佰捌拾元叁角贰分"),
    (100100, "壹仟零壹元整"),
    (101000, "壹仟零壹拾元整"),
    (1001000, "壹万零壹拾元整"),  # 10010.00
    (1000000, "壹万元整"),
    (11000000, "壹拾壹万元整"),
    (10700053, "壹拾万柒仟元伍角叁分"),
    (1000100000, "壹仟万壹仟元整"),  # zeros ending the 万 group are not read
    (1000010000, "壹仟万零壹佰元整"),  # zeros leading a group are
    (2000100, "贰万零壹元整"),
    (10000000000, "壹亿元整"),  # 100000000.00
    (10000000100, "壹亿零壹元整"),  # a whole group of zeros reads as one 零
    (10001000000, "壹亿零壹万元整"),
    (10000100000, "壹亿零壹仟元整"),
    (12345678900, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整"),
    (99999999999999, "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
])
def test_amount_in_words(fen, words):
    assert amount_in_words(fen) == words


def test_integer_in_words():
    assert integer_in_words(0) == "零"
    assert integer_in_words(10010) == "壹万零壹拾"
    assert integer_in_words(100000001) == "壹亿零壹"


@pytest.mark.parametrize("bad", [-1, -100050, 1.5, "100", True, 10**16])
def test_negative_fractional_and_huge_amounts_are_refused_naming_the_field(bad):
    with pytest.raises(ValidationError) as exc:
        amount_in_words(bad)
    assert exc.value.field == "amount_fen"


def test_money_in_figures():
    assert money(100050) == "1,000.50"
    assert money(5) == "0.05"
    assert money(-123456) == "-1,234.56"
