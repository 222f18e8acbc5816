"""Validation, column by column: each distinct value converted once; a converter raises
ValueError(column, reason), reported with the row's line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import compress
from operator import itemgetter

from core.models import UnitStatus, UnitType
from core.services.importer.common import REQUIRED
from core.services.importer.reading import Columns

_UNIT_TYPES = {t.value: t for t in UnitType}
_STATUSES = {st.value: st for st in UnitStatus}
_FLOORS = 1000  # |floor| below this: more than any building has, and well inside the integer column


def _floor(value) -> int:
    if value in ("", None):
        return 1
    try:
        floor = int(value)
    except (TypeError, ValueError, OverflowError):
        floor = None
    if floor is None or (not isinstance(value, str) and floor != value):  # 18.5 from a sheet: not 18
        raise ValueError("floor", f"'{value}' is not a whole number")
    if not -_FLOORS < floor < _FLOORS:
        raise ValueError("floor", f"'{value}' is out of range ({1 - _FLOORS} to {_FLOORS - 1})")
    return floor


def _unit_type(value) -> UnitType:
    try:
        return _UNIT_TYPES[value or "residential"]
    except (KeyError, TypeError):
        raise ValueError("unit_type", f"'{value}' is not one of {', '.join(_UNIT_TYPES)}") from None


def _status(value) -> UnitStatus:
    try:
        return _STATUSES[value or "not_delivered"]
    except (KeyError, TypeError):
        raise ValueError("status", f"'{value}' is not one of {', '.join(_STATUSES)}") from None


def _area(column: str) -> Callable[[object], Decimal]:
    def convert(value) -> Decimal:
        if value in ("", None):
            return Decimal("0")
        try:
            d = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(column, f"'{value}' is not a number") from None
        if not d.is_finite() or d < 0 or d >= Decimal("100000000"):
            raise ValueError(column, f"'{value}' is out of range (0 to 99,999,999.99)")
        return d.quantize(Decimal("0.01"))

    return convert


def _date(value) -> dt.date | None:
    if value in ("", None):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError("delivered_on", f"'{value}' is not a date (use YYYY-MM-DD)") from None


def _each(values: list, convert: Callable) -> tuple[list, bool]:
    """``convert`` of every value (its ValueError where it rejects one), and whether any was rejected.

    Converted once per distinct value when the values are of one type (equal values of one type convert
    alike; ``1`` and ``1.0`` are equal but need not be), so a repeated value costs a dict lookup."""
    try:
        distinct = set(values)
    except TypeError:  # an unhashable cell, from a caller other than read_rows
        distinct = None
    if distinct is not None and len({type(v) for v in distinct if v is not None}) <= 1:
        of = {v: _attempt(convert, v) for v in distinct}
        rejected = any(isinstance(v, ValueError) for v in of.values())
        return list(map(of.__getitem__, values)), rejected
    out = [_attempt(convert, v) for v in values]
    return out, any(isinstance(v, ValueError) for v in out)


def _attempt(convert: Callable, value):
    try:
        return convert(value)
    except ValueError as exc:
        return exc


def _column(rows: list[dict] | Columns, name: str) -> Sequence:
    """The values of ``rows`` in column ``name`` (None where a row has none)."""
    if isinstance(rows, Columns):
        values = rows.values.get(name)
        return [None] * len(rows) if values is None else values
    try:
        return list(map(itemgetter(name), rows))
    except KeyError:  # a column the file does not have, or a short line
        return [r.get(name) for r in rows]


def _text(values: list, default: str = "") -> list[str]:
    """``str(value or default)`` of every value (an XLSX cell may hold a number); CSV values are strings."""
    if set(map(type, values)) <= {str}:
        return [v or default for v in values] if default and "" in values else values
    return [str(v or default) for v in values]


# Excel keeps numbers as doubles: 15 significant digits, so an 18-digit ID number typed into a number
# cell is already wrong in the file (3.20102199001011E+17). Such a cell is rejected, not guessed at.
_EXACT_DIGITS = 10**15
NUMBER_CELL = ("is stored as a number in the sheet, which keeps only 15 digits; format the column as text "
               "and enter the number again")


def _digits_text(values: list) -> tuple[list, list[int]]:
    """``values`` with whole numbers from number cells written as digits (13912345678.0 -> "13912345678"),
    and the indices of numbers that cannot be trusted (fractions, or 15 digits and more)."""
    if set(map(type, values)) <= {str}:
        return values, []
    out, bad = list(values), []
    for i, v in enumerate(values):
        if isinstance(v, float) or (isinstance(v, int) and not isinstance(v, bool)):
            if v != int(v) or abs(v) >= _EXACT_DIGITS:
                bad.append(i)
            else:
                out[i] = str(int(v))
    return out, bad


@dataclass
class _Checked:
    """The file as converted columns (one list per column, a row's values at the same index) and the first
    problem of each rejected row: ``{row index: (column, reason)}``."""

    estate: list[str]
    building: list[str]
    entrance: list[str]
    room_no: list[str]
    floor: list
    unit_type: list
    status: list
    built_area: list
    interior_area: list
    delivered_on: list
    owner_name: list[str]
    owner_id_type: list[str]
    owner_id_number: list[str]
    owner_phone: list[str]
    problems: dict[int, tuple[str, str]]


def _check(rows: list[dict] | Columns) -> _Checked:
    """Convert and check every row. The checks run in a fixed order (required columns, lengths, numbers,
    codes, areas, dates, the owner) and a row is reported for the first one it fails."""
    problems: dict[int, tuple[str, str]] = {}

    def flag(indices: Iterable[int], column: str, reason: str) -> None:
        for i in indices:
            problems.setdefault(i, (column, reason))

    def converted(name: str, convert: Callable) -> list:
        values, rejected = _each(_column(rows, name), convert)
        if rejected:
            for i, v in enumerate(values):
                if isinstance(v, ValueError):
                    problems.setdefault(i, v.args)
                    values[i] = None
        return values

    text = {name: _text(_column(rows, name)) for name in ("estate", "building", "entrance", "room_no")}
    for name in REQUIRED:
        if not all(map(str.strip, text[name])):
            flag((i for i, v in enumerate(text[name]) if not v.strip()), name, "is required")
    for name, limit in (("building", 32), ("entrance", 16), ("room_no", 32)):
        if max(map(len, text[name]), default=0) > limit:
            flag((i for i, v in enumerate(text[name]) if len(v) > limit), name,
                 f"is longer than {limit} characters")
    floor = converted("floor", _floor)
    unit_type = converted("unit_type", _unit_type)
    status = converted("status", _status)
    built = converted("built_area", _area("built_area"))
    interior = converted("interior_area", _area("interior_area"))
    pairs = {(b, i) for b, i in set(zip(built, interior, strict=True))
             if b is not None and i is not None and i > b > 0}
    if pairs:
        flag((i for i, pair in enumerate(zip(built, interior, strict=True)) if pair in pairs),
             "interior_area", "is larger than the built-up area")
    delivered = converted("delivered_on", _date)

    raw_id_number, bad_id_numbers = _digits_text(_column(rows, "owner_id_number"))
    raw_phone, bad_phones = _digits_text(_column(rows, "owner_phone"))
    flag(bad_id_numbers, "owner_id_number", NUMBER_CELL)
    flag(bad_phones, "owner_phone", NUMBER_CELL)
    names = list(map(str.strip, _text(_column(rows, "owner_name"))))
    id_numbers = list(map(str.upper, map(str.strip, _text(raw_id_number))))
    id_types = _text(_column(rows, "owner_id_type"), "id_card")
    phones = _text(raw_phone)
    if max(map(len, phones), default=0) > 40:
        phones = [p[:40] for p in phones]  # a second number or a note squeezed in: the first 40 characters
    named = list(map(bool, names))
    if any(named):
        for values, column, limit in ((names, "owner_name", 200), (id_numbers, "owner_id_number", 64),
                                      (id_types, "owner_id_type", 32)):
            if max(map(len, compress(values, named)), default=0) > limit:
                flag((i for i, v in enumerate(values) if named[i] and len(v) > limit), column,
                     f"is longer than {limit} characters")
        if None in compress(delivered, named):
            flag((i for i, d in enumerate(delivered) if named[i] and d is None), "delivered_on",
                 "is required when an owner is given (ownership starts on it)")
    if not all(named):
        flag((i for i, n in enumerate(named) if not n and (raw_id_number[i] or raw_phone[i])), "owner_name",
             "is required when an owner's ID or phone is given")
    return _Checked(text["estate"], text["building"], text["entrance"], text["room_no"], floor, unit_type,
                    status, built, interior, delivered, names, id_types, id_numbers, phones, problems)
