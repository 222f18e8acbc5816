"""``wuye calendar import|show``: the business calendar (营业日历): holidays and make-up working days.

The file is CSV with a header ``day,kind,name,estate`` (``estate`` optional: an estate code, empty
for company-wide) and ``#`` comment lines; ``core/data/calendar/cn-2026-2027.csv`` is China's
schedule. Importing is all or nothing: any bad line is reported (line number, what is wrong, how
to fix it) and nothing changes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import click
from sqlalchemy import select

from core.cli import echo_json, pass_state
from core.errors import ValidationError

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "calendar" / "cn-2026-2027.csv"
KINDS = ("holiday", "workday")


@dataclass(frozen=True)
class CalendarLine:
    line: int
    day: dt.date
    kind: str
    name: str
    estate_code: str  # "" for company-wide


def parse_calendar(text: str, *, source: str = "calendar file") -> list[CalendarLine]:
    """The rows of a calendar CSV; raises ``ValidationError`` listing every bad line and its fix."""
    numbered = [(n, raw) for n, raw in enumerate(text.splitlines(), 1) if raw.strip() and not raw.lstrip().startswith("#")]
    if not numbered:
        raise ValidationError(f"{source}: no rows; the first line must be the header day,kind,name,estate")
    header_no, header = numbered[0]
    columns = [c.strip().lower() for c in next(csv.reader([header]))]
    missing = [c for c in ("day", "kind") if c not in columns]
    if missing:
        raise ValidationError(f"{source}, line {header_no}: the header lacks {', '.join(missing)}; "
                              "write the header day,kind,name,estate")
    errors, rows, seen = [], [], {}
    for n, raw in numbered[1:]:
        values = dict(zip(columns, (v.strip() for v in next(csv.reader([raw]))), strict=False))
        day_text, kind = values.get("day", ""), values.get("kind", "").lower()
        try:
            day = dt.date.fromisoformat(day_text)
        except ValueError:
            errors.append(f"line {n}: day {day_text!r} is not a date; write YYYY-MM-DD, e.g. 2026-02-17")
            continue
        if kind not in KINDS:
            errors.append(f"line {n}: kind {kind!r} is not holiday or workday; write holiday for a day off, "
                          "workday for a make-up working day (调休上班)")
            continue
        estate = values.get("estate", "") or ""
        if (day, estate) in seen:
            errors.append(f"line {n}: {day} is already listed on line {seen[(day, estate)]}; keep one of them")
            continue
        seen[(day, estate)] = n
        rows.append(CalendarLine(n, day, kind, values.get("name", "") or "", estate))
    if errors:
        raise ValidationError(f"{source}: nothing imported, fix these lines:\n  " + "\n  ".join(errors), field="file")
    return rows


def import_calendar(session, rows: list[CalendarLine], *, source: str = "calendar file") -> dict:
    """Set each listed day (company-wide or for its estate); days not listed stay as they are.
    Returns ``{"added": n, "updated": n, "unchanged": n}``."""
    from core.models import CalendarDay, DayKind, Estate

    codes = {r.estate_code for r in rows if r.estate_code}
    estates = {c: i for c, i in session.execute(select(Estate.code, Estate.id).where(Estate.code.in_(codes)))}
    unknown = [f"line {r.line}: no estate with code {r.estate_code!r}; see `wuye estates list`, or leave it "
               "empty for company-wide" for r in rows if r.estate_code and r.estate_code not in estates]
    if unknown:
        raise ValidationError(f"{source}: nothing imported, fix these lines:\n  " + "\n  ".join(unknown), field="file")
    existing = {(d.estate_id, d.day): d for d in session.scalars(select(CalendarDay))}
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for r in rows:
        estate_id = estates.get(r.estate_code)
        row = existing.get((estate_id, r.day))
        if row is None:
            session.add(CalendarDay(estate_id=estate_id, day=r.day, kind=DayKind(r.kind), name=r.name))
            counts["added"] += 1
        elif (row.kind.value, row.name) != (r.kind, r.name):
            row.kind, row.name = DayKind(r.kind), r.name
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    session.flush()
    return counts


def calendar_rows(session, estate_code: str | None, year: int) -> list[dict]:
    """The days of ``year`` that differ from the working week, as the estate sees them."""
    from core.models import CalendarDay, Estate
    from core.workflow.calendar import calendar_for

    estate_id = None
    if estate_code:
        estate_id = session.scalar(select(Estate.id).where(Estate.code == estate_code))
        if estate_id is None:
            raise ValidationError(f"no estate with code {estate_code!r}; see `wuye estates list`", field="estate")
    cal = calendar_for(session, estate_id)
    names = {}
    for d in session.scalars(select(CalendarDay).where(CalendarDay.day >= dt.date(year, 1, 1),
                                                       CalendarDay.day <= dt.date(year, 12, 31))
                             .order_by(CalendarDay.estate_id.is_not(None), CalendarDay.id)):
        if d.estate_id in (None, estate_id):
            names[d.day] = (d.kind.value, d.name, "estate" if d.estate_id else "company")
    return [{"day": day.isoformat(), "weekday": day.strftime("%a"), "kind": kind, "name": name, "from": origin,
             "working": cal.is_working_day(day)} for day, (kind, name, origin) in sorted(names.items())]


def register(cli: click.Group) -> None:
    @cli.group("calendar")
    def calendar():
        """The business calendar (营业日历): public holidays and make-up working days."""

    @calendar.command("import")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def import_(state, file, as_json):
        """Load holidays and make-up working days from FILE (CSV: day,kind,name,estate).

        Without FILE, loads China's schedule shipped with Wuye (core/data/calendar/cn-2026-2027.csv);
        check it against the State Council notice first. All or nothing: a bad line changes nothing.
        """
        path = file or DATA_FILE
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ValidationError(f"cannot read {path}: {exc.strerror or exc}") from None
        rows = parse_calendar(text, source=str(path))
        with state.wuye.session() as s:
            counts = import_calendar(s, rows, source=str(path))
        if as_json:
            echo_json({"file": str(path), **counts})
        else:
            click.echo(f"{path}: {counts['added']} days added, {counts['updated']} updated, "
                       f"{counts['unchanged']} unchanged")

    @calendar.command("show")
    @click.option("--estate", "estate_code", metavar="CODE", help="An estate's calendar (default: the company's).")
    @click.option("--year", type=int, required=True, help="e.g. 2026")
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def show(state, estate_code, year, as_json):
        """List the holidays and make-up working days of a year."""
        with state.wuye.session() as s:
            rows = calendar_rows(s, estate_code, year)
        if as_json:
            echo_json(rows)
            return
        if not rows:
            click.echo(f"no holidays or make-up working days in {year}; load them with `wuye calendar import`")
        out = io.StringIO()
        for r in rows:
            out.write(f"{r['day']} {r['weekday']}  {'work' if r['working'] else 'off '}  {r['kind']:<8} "
                      f"{r['name']}{'  (estate)' if r['from'] == 'estate' else ''}\n")
        click.echo(out.getvalue(), nl=False)
