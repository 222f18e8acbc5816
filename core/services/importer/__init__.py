"""Bulk import of units and their owners from CSV or XLSX (``wuye import units FILE``).

Every row is validated; a rejected row writes nothing and is reported with its line number, the column
and the reason. A file with only bad rows changes nothing.

Large files (hundreds of thousands of rows) are the point, so the work is done column by column, not
row by row: :func:`read_columns` reads a file into one list per column, each column's distinct values
are converted once (a file repeats its floors, unit types, statuses, areas and dates thousands of
times) and the checks run over whole columns, at C speed where they can. The ids of the new units and
owners are reserved before anything is written (the sequence on PostgreSQL, the table's maximum under
SQLite's write lock), so every table is written in one COPY (PostgreSQL) or executemany (SQLite)
without RETURNING and nothing is read back. What is left is the databases' own work: on PostgreSQL
mostly the foreign-key checks, one per row and key (see docs/performance.md).
"""

from core.services.importer.common import ALIASES, REQUIRED, ImportResult, Rejected
from core.services.importer.reading import Columns, read_columns, read_rows
from core.services.importer.writing import import_units, rejected_report_csv

__all__ = ["ALIASES", "REQUIRED", "Columns", "ImportResult", "Rejected", "import_units", "read_columns", "read_rows",
           "rejected_report_csv"]
