"""core.clock: the instant, the estate's day, a pinned business date, and the test-only clock shift."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from core import business_date, day_bounds, estate_today, utcnow
from core.models import Estate

LATE_EVENING_UTC = dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC)  # 01:30 on 1 January in Shanghai


def test_today_is_the_estates_calendar_day(session):
    shanghai = Estate(code="SH", name="上海", timezone="Asia/Shanghai")
    london = Estate(code="LN", name="London", timezone="Europe/London")
    session.add_all([shanghai, london])
    session.flush()
    assert estate_today(session, shanghai, LATE_EVENING_UTC) == dt.date(2027, 1, 1)
    assert estate_today(session, london, LATE_EVENING_UTC) == dt.date(2026, 12, 31)
    assert estate_today(session, london.id, LATE_EVENING_UTC) == dt.date(2026, 12, 31)  # by id
    assert estate_today(None, None, LATE_EVENING_UTC) == dt.date(2027, 1, 1)  # company default zone
    start, end = day_bounds(shanghai, dt.date(2027, 1, 1))
    assert start == dt.datetime(2026, 12, 31, 16, tzinfo=dt.UTC) and end - start == dt.timedelta(days=1)


def test_a_pinned_business_date_wins_over_the_clock_and_is_restored(session):
    a, b = Estate(code="PA", name="A"), Estate(code="PB", name="B")
    session.add_all([a, b])
    session.flush()
    real = estate_today(session, a)
    with business_date(session, dt.date(2031, 5, 6)):
        assert estate_today(session, a) == estate_today(session, b.id) == dt.date(2031, 5, 6)
        assert estate_today(None, a) == dt.date(2031, 5, 6)  # found through the estate's session
        with business_date(session, dt.date(2031, 6, 30), estate=b):
            assert estate_today(session, b) == dt.date(2031, 6, 30)
            assert estate_today(session, a) == dt.date(2031, 5, 6)
        assert estate_today(session, b) == dt.date(2031, 5, 6)
        # an explicit instant is a question about that instant, not about today
        assert estate_today(session, a, LATE_EVENING_UTC) == dt.date(2027, 1, 1)
    assert estate_today(session, a) == real
    with pytest.raises(TypeError):
        with business_date(session, dt.datetime(2031, 5, 6, tzinfo=dt.UTC)):
            pass


def _utcnow_in_subprocess(shift: str | None) -> dt.datetime:
    env = {k: v for k, v in os.environ.items() if k != "WUYE_CLOCK_SHIFT_DAYS"}
    if shift is not None:
        env["WUYE_CLOCK_SHIFT_DAYS"] = shift
    out = subprocess.run([sys.executable, "-c", "import core; print(core.utcnow().isoformat())"],
                         env=env, capture_output=True, text=True, check=False)
    if out.returncode:
        raise RuntimeError(out.stderr.strip().splitlines()[-1])
    return dt.datetime.fromisoformat(out.stdout.strip())


def test_the_clock_shift_moves_every_now_ahead():
    plain, shifted = _utcnow_in_subprocess(None), _utcnow_in_subprocess("1000")
    assert dt.timedelta(days=999) < shifted - plain < dt.timedelta(days=1001)
    assert utcnow().tzinfo is dt.UTC
    with pytest.raises(RuntimeError, match="WUYE_CLOCK_SHIFT_DAYS='soon' is not a whole number of days"):
        _utcnow_in_subprocess("soon")


def test_no_code_reads_the_wall_clock_but_the_clock():
    # Every "now" and "today" comes from core.clock, so the business date can be pinned and the
    # clock moved ahead (the CI time-bomb guard). A stray date.today() escapes both.
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    wall_clock = re.compile(r"\b(date\.today\(\)|datetime\.now\(|datetime\.utcnow\(|datetime\.today\(\))")
    allowed = {root / "core" / "clock.py", Path(__file__).resolve()}
    found = [f"{p.relative_to(root)}:{n}" for d in ("core", "plugins", "examples", "tests")
             for p in sorted((root / d).rglob("*.py")) if p not in allowed
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if wall_clock.search(line)]
    assert found == [], "use core.utcnow() / core.estate_today(session, estate), or pass the date in"
