"""Exact money arithmetic in Python, mirroring what the billing run computes in SQL.

Everything is integers: areas and usages in hundredths, prices in centi-fen, amounts in fen. These
functions are used for apportionment and late fees, and by the tests as the reference the SQL run
must match.
"""

from __future__ import annotations

from decimal import Decimal


def round_div(n: int, d: int, rounding: str = "half_up") -> int:
    """``n / d`` rounded to an integer: half-up (四舍五入) or down; ``n`` >= 0, ``d`` > 0."""
    if isinstance(n, float) or isinstance(d, float):
        raise TypeError("money arithmetic takes integers, never floats")
    if n < 0 or d <= 0:
        raise ValueError("round_div expects n >= 0 and d > 0")
    return n // d if rounding == "down" else (2 * n + d) // (2 * d)


def hundredths(value: Decimal | int | str) -> int:
    """A quantity with at most two decimals (89.37 m², 123.45 kWh) as an integer of hundredths."""
    if isinstance(value, float):
        raise TypeError("quantities are Decimal or str, never float")
    d = Decimal(str(value)) * 100
    if d != d.to_integral_value():
        raise ValueError(f"{value} has more than two decimals")
    return int(d)


def line_amount_fen(
    basis: str,
    price_cfen: int,
    *,
    quantity: Decimal | int | str = 1,
    days: int = 1,
    days_cycle: int = 1,
    vacancy_pct: int = 0,
    rounding: str = "half_up",
) -> int:
    """The amount of one run line (reference for the SQL): quantity × price × days/days_cycle × (100-pct)%."""
    if basis in ("built_area", "interior_area"):
        n, d = hundredths(quantity) * price_cfen, 100 * 100
    elif basis == "metered":
        n, d = hundredths(quantity) * price_cfen, 100 * 100
    else:
        n, d = price_cfen, 100
    n, d = n * days, d * days_cycle
    if vacancy_pct:
        n, d = n * (100 - vacancy_pct), d * 100
    return round_div(n, d, rounding)


def tiered_amount_fen(
    usage_centi: int, tiers: list[tuple[int, int | None, int]], rounding: str = "half_up"
) -> int:
    """Metered amount with tiers (阶梯): ``tiers`` are (from_centi, to_centi or None, price_cfen)."""
    n = 0
    for lo, hi, price in tiers:
        if usage_centi > lo:
            n += ((min(usage_centi, hi) if hi is not None else usage_centi) - lo) * price
    return round_div(n, 100 * 100, rounding)


def split_by_weight(total_fen: int, weights: list[tuple[int, int]]) -> dict[int, int]:
    """Split ``total_fen`` over ``(key, weight)`` pairs so the parts sum exactly to the total.

    Largest-remainder method: each key gets the floor of its share, and the fen left over go one
    each to the largest remainders; ties go to the smaller key, so the split is deterministic.
    """
    if isinstance(total_fen, float):
        raise TypeError("money is integer fen")
    pairs = [(k, w) for k, w in weights if w > 0]
    whole = sum(w for _k, w in pairs)
    if not pairs or whole == 0:
        return {}
    parts, rema = {}, []
    for key, w in pairs:
        q, r = divmod(total_fen * w, whole)
        parts[key] = q
        rema.append((-r, key))
    left = total_fen - sum(parts.values())
    for _r, key in sorted(rema)[:left]:
        parts[key] += 1
    return parts
