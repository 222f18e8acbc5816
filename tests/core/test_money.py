"""Money helpers: integer fen, half-up rounding, no floats."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.db import fen_to_yuan, round_fen, to_fen


@pytest.mark.parametrize("yuan, fen", [("0.005", 1), ("0.004", 0), ("12.345", 1235), ("-0.005", -1), (3, 300),
                                       (Decimal("2.50"), 250)])
def test_to_fen_rounds_half_up(yuan, fen):
    assert to_fen(yuan) == fen


def test_floats_and_garbage_are_refused():
    with pytest.raises(TypeError):
        to_fen(0.1)
    with pytest.raises(TypeError):
        round_fen(0.5)
    for bad in ("abc", "NaN", "Infinity", ""):
        with pytest.raises(ValueError):
            to_fen(bad)


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_fen_round_trip(fen):
    assert to_fen(fen_to_yuan(fen)) == fen
