"""Amounts in Chinese capital numerals (大写金额) for receipts and notices, and money in figures.

The rules are those of the People's Bank of China for cheques and receipts (《支付结算办法》附一):
digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟, groups 万 and 亿; zeros between digits read as one 零,
zeros at the end of a group are not read, a whole group of zeros reads as one 零 before the next
digit; "整" follows 元 or 角 when there are no 分; when 角 is zero and 分 is not, 零 follows 元
(壹仟元零伍分). The optional 零 after a 元 that ends in zeros (壹仟陆佰捌拾元叁角) is not written.
"""

from __future__ import annotations

from core.errors import ValidationError
from core.text import Text

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")
MAX_FEN = 10**16 - 1  # 9999,9999,9999,9999.99 yuan: beyond 万亿 there is no capital group name


def _group(n: int) -> str:
    """Words for one 4-digit group (1..9999): inner zeros as one 零, trailing zeros dropped."""
    out, zero = [], False
    for place in range(3, -1, -1):
        d = n // 10**place % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + PLACES[place])
    return "".join(out)


def integer_in_words(n: int) -> str:
    """A whole number in capital numerals: 10010 -> 壹万零壹拾; 0 -> 零."""
    if n == 0:
        return "零"
    groups = []
    while n:
        groups.append(n % 10_000)
        n //= 10_000
    out, gap = "", False
    for level in range(len(groups) - 1, -1, -1):
        g = groups[level]
        if g == 0:
            gap = bool(out)  # a whole group of zeros: one 零 before the next digit
            continue
        if out and (gap or g < 1000):
            out += "零"
        out += _group(g) + GROUPS[level]
        gap = False
    return out


def amount_in_words(fen: int) -> str:
    """``fen`` (integer 分) as a capital amount for receipts: 100050 -> 壹仟元伍角整; 5 -> 伍分.

    Refuses negative amounts, non-integers and amounts past 万亿 with a ``ValidationError`` on
    ``amount_fen`` (a refund is printed as a positive amount on its own document).
    """
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise ValidationError(Text(f"the amount must be whole fen (an integer), not {fen!r}",
                                   f"金额须为整数（分），不能是 {fen!r}"), field="amount_fen")
    if fen < 0:
        raise ValidationError(Text(f"a negative amount ({fen} fen) has no capital form; print the refund "
                                   "or reversal as a positive amount on its own document",
                                   f"负数金额（{fen} 分）不能写成大写，请以正数金额开具退款或冲销单据"), field="amount_fen")
    if fen > MAX_FEN:
        raise ValidationError(Text(f"{fen} fen is too large for a capital amount (at most {MAX_FEN})",
                                   f"金额 {fen} 分过大，无法写成大写（最多 {MAX_FEN} 分）"), field="amount_fen")
    yuan, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    if fen == 0:
        return "零元整"
    out = integer_in_words(yuan) + "元" if yuan else ""
    if jiao:
        out += DIGITS[jiao] + "角"
    elif cents and yuan:
        out += "零"
    out += DIGITS[cents] + "分" if cents else "整"
    return out


def money(fen: int) -> str:
    """Fen in figures with thousands separators and two decimals: 100050 -> '1,000.50'."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{yuan:,}.{cents:02d}"
