"""Synthetic estates for benchmarks: many units generated inside the database.

The units are produced by one ``INSERT ... SELECT`` over a number series (``generate_series`` on
PostgreSQL, a recursive CTE on SQLite), so a million units take seconds and no Python memory; on
PostgreSQL the tables are then analysed, as autovacuum would have done on a live database.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.models import Building, Estate

UNITS_PER_BUILDING = 500

# unit i: building i // 500 + 1, floor (i % 500) // 10 + 1, room <floor><i % 10 + 1:02>, area 80..149.99 m²
_UNITS_PG = """
INSERT INTO core_units (estate_id, building_id, entrance, floor, room_no, unit_type, built_area, interior_area,
                        status, delivered_on, usage_nature)
SELECT :estate, b.id, '', (g.i % 500) / 10 + 1, ((g.i % 500) / 10 + 1)::text || lpad((g.i % 10 + 1)::text, 2, '0'),
       'residential', 80 + g.i % 70 + (g.i % 100) / 100.0, 64 + g.i % 50, 'occupied', DATE '2024-01-01', ''
FROM generate_series(0, :n - 1) AS g(i)
JOIN core_buildings b ON b.estate_id = :estate AND b.code = (g.i / 500 + 1)::text
ORDER BY g.i
"""
_UNITS_SQLITE = """
WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < :n - 1)
INSERT INTO core_units (estate_id, building_id, entrance, floor, room_no, unit_type, built_area, interior_area,
                        status, delivered_on, usage_nature)
SELECT :estate, b.id, '', (g.i % 500) / 10 + 1, CAST((g.i % 500) / 10 + 1 AS TEXT) || printf('%02d', g.i % 10 + 1),
       'residential', 80 + g.i % 70 + (g.i % 100) / 100.0, 64 + g.i % 50, 'occupied', '2024-01-01', ''
FROM g JOIN core_buildings b ON b.estate_id = :estate AND b.code = CAST(g.i / 500 + 1 AS TEXT)
ORDER BY g.i
"""


def make_estate(engine, code: str, n_units: int) -> int:
    """An estate of ``n_units`` occupied residential units in buildings of 500; returns its id."""
    with Session(engine) as s, s.begin():
        estate = Estate(code=code, name=f"Bench {code}")
        s.add(estate)
        s.flush()
        n_buildings = -(-n_units // UNITS_PER_BUILDING)
        s.add_all(Building(estate_id=estate.id, code=str(b + 1), name=f"{b + 1}栋", floors=50)
                  for b in range(n_buildings))
        s.flush()
        sql = _UNITS_PG if engine.dialect.name == "postgresql" else _UNITS_SQLITE
        s.execute(text(sql), {"estate": estate.id, "n": n_units})
        estate_id = estate.id
    analyze(engine)
    return estate_id


def analyze(engine) -> None:
    """Refresh the planner's statistics after a bulk load (autovacuum would, a minute later)."""
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
