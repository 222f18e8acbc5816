"""Reading a CSV or XLSX file into one list per column (``read_columns``) or a dict per row."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest
from operator import methodcaller
from pathlib import Path

from core.errors import ValidationError
from core.services.importer.common import ALIASES, REQUIRED, _gc_paused

_split_at_commas = methodcaller("split", ",")


def read_rows(path: Path) -> list[dict]:
    """Rows of a CSV (UTF-8, with or without BOM) or XLSX file as dicts keyed by canonical column."""
    with _gc_paused():
        columns, lines = _read_lines(path)
        return [dict(zip(columns, values, strict=False)) for values in lines]


@dataclass(frozen=True)
class Columns:
    """A file read column by column: ``values[column][i]`` is row ``i``'s value (None where its line was
    short). What :func:`read_columns` gives and :func:`import_units` takes as well as rows: a dict per row
    takes longer to make than the whole file takes to validate, and doubles the memory of a big file."""

    values: dict[str, Sequence]
    count: int

    def __len__(self) -> int:
        return self.count

    def row(self, i: int) -> dict:
        return {column: values[i] for column, values in self.values.items()}


def read_columns(path: Path) -> Columns:
    """:func:`read_rows`, column by column."""
    with _gc_paused():
        columns, lines = _read_lines(path)
        if set(map(len, lines)) == {len(columns)}:
            transposed = list(zip(*lines, strict=True))
        else:  # short lines give None, as a missing key does; values beyond the header are dropped
            transposed = list(zip_longest(*lines))[:len(columns)]
            transposed += [(None,) * len(lines)] * (len(columns) - len(transposed))
        return Columns(dict(zip(columns, transposed, strict=True)) if lines else {c: () for c in columns},
                       len(lines))


def _read_lines(path: Path) -> tuple[list[str], list[list]]:
    """The canonical column names from the header and the lines after it (blank ones left out), each a list
    of its values, strings stripped."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise ValidationError(f"{path.name}: use a .csv or .xlsx file", field="file")


def _read_csv(path: Path) -> tuple[list[str], list[list]]:
    text = path.read_text(encoding="utf-8-sig")
    if '"' in text or "\0" in text:
        lines = csv.reader(io.StringIO(text))
    else:
        # Nothing quoted (the usual export): a line's values are its comma-separated parts, exactly
        # what the csv module gives, at a third of the cost. Quotes, and NULs that module refuses, go
        # through it.
        lines = map(_split_at_commas, text.split("\n"))
    # Values are stripped, unless the only whitespace in the file is its line breaks (the words split
    # off at whitespace add up to the text without them): stripping costs as much as the splitting.
    strip = sum(map(len, text.split())) != len(text) - text.count("\n")
    columns = _columns(path, next(lines, None))
    if strip:
        lines = (list(map(str.strip, values)) for values in lines)
    return columns, [values for values in lines if any(values)]


def _read_xlsx(path: Path) -> tuple[list[str], list[list]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        it = wb.active.iter_rows(values_only=True)
        columns = _columns(path, next(it, None))
        body = [["" if v is None else v for v in r] for r in it]
    finally:
        wb.close()
    return columns, [[v.strip() if isinstance(v, str) else v for v in r] for r in body
                     if any(str(v).strip() for v in r)]


def _columns(path: Path, header) -> list[str]:
    """The canonical column of each header cell; a clear error for an unknown or missing one."""
    if not header or not any(str(cell or "").strip() for cell in header):
        raise ValidationError(f"{path.name}: the file is empty; the first row must name the columns", field="file")
    lookup = {alias.strip().lower(): canon for canon, names in ALIASES.items() for alias in names}
    columns = []
    unknown = []
    for name in header:
        canon = lookup.get(str(name or "").strip().lower())
        if canon is None:
            unknown.append(str(name))
        columns.append(canon)
    if unknown:
        raise ValidationError(f"{path.name}: unknown column(s) {', '.join(unknown)}; allowed: "
                              f"{', '.join(ALIASES)}", field="header")
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ValidationError(f"{path.name}: required column(s) {', '.join(missing)} missing", field="header")
    return columns
