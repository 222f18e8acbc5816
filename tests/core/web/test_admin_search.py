"""Admin search and list loading: prefix search served by an index, a constant number of queries.

Flask-Admin's own search (``CAST(col AS VARCHAR) ILIKE '%term%'``) scanned every unit; the admin now
matches ``lower(col) LIKE 'term%'`` (core.web.admin.search), which ``core.db.prefix_search_index``
serves on PostgreSQL, and loads the records a page's foreign keys show in one query.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from core.models import Building, Party, Unit
from core.web.admin.search import search_clause


def _rooms(html: str) -> set[str]:
    """Room numbers shown in the list's room_no column."""
    return set(re.findall(r'class="col-room_no">\s*([^<\s]+)\s*<', html))


def _add_units(factory, estate_id: int, rooms: list[str]) -> None:
    s = factory()
    building = s.scalar(select(Building).where(Building.estate_id == estate_id))
    for room in rooms:
        s.add(Unit(estate_id=estate_id, building_id=building.id, room_no=room, floor=12))
    s.commit()
    s.close()


def test_search_matches_the_start_of_the_field_case_insensitively(client_as, world, factory):
    _add_units(factory, world["a"], ["A1201", "a1202", "B1201", "12_5"])
    c = client_as("admin")
    assert _rooms(c.get("/admin/core_units/?search=a12").text) == {"A1201", "a1202"}
    assert _rooms(c.get("/admin/core_units/?search=A120").text) == {"A1201", "a1202"}
    # a prefix, not "contains": 1201 is inside A1201 and B1201 but starts neither
    assert _rooms(c.get("/admin/core_units/?search=1201").text) == set()
    # LIKE wildcards typed by the user are literal characters
    assert _rooms(c.get("/admin/core_units/?search=12_").text) == {"12_5"}
    assert _rooms(c.get("/admin/core_units/?search=1_").text) == set()
    assert _rooms(c.get("/admin/core_units/?search=%25").text) == set()
    # "=term" matches the whole field
    assert _rooms(c.get("/admin/core_units/?search==a1201").text) == {"A1201"}
    assert _rooms(c.get("/admin/core_units/?search==a120").text) == set()


def test_search_stays_within_the_actors_estates(client_as, world, factory):
    _add_units(factory, world["b"], ["Z901"])
    assert _rooms(client_as("cs_a").get("/admin/core_units/?search=z9").text) == set()
    assert _rooms(client_as("admin").get("/admin/core_units/?search=z9").text) == {"Z901"}


def test_party_search_by_name_or_phone(client_as, world):
    c = client_as("admin")
    by_name = c.get("/admin/core_parties/?search=A业主").text
    assert "A业主1" in by_name and "B业主1" not in by_name
    by_phone = c.get("/admin/core_parties/?search=1391234").text
    assert "A业主1" in by_phone and "B业主1" in by_phone
    assert "A业主1" not in c.get("/admin/core_parties/?search=業主").text


def test_a_list_page_loads_its_buildings_in_one_query(client_as, world, factory, engine):
    s = factory()
    estate_id = world["a"]
    for code in ("2", "3", "4", "5"):
        b = Building(estate_id=estate_id, code=code, name=f"{code}栋")
        s.add(b)
        s.flush()
        s.add(Unit(estate_id=estate_id, building_id=b.id, room_no="301", floor=3))
    s.commit()
    s.close()
    c = client_as("admin")
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        r = c.get("/admin/core_units/?search=301")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert r.status_code == 200 and _rooms(r.text) == {"301"}
    assert r.text.count('class="col-building_id"') >= 4
    building_queries = [st for st in seen if re.search(r"FROM core_buildings\s+WHERE", st)]
    assert len(building_queries) == 1, building_queries


def test_postgresql_serves_the_prefix_search_from_an_index(factory, engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's planner never uses an expression index for LIKE; the search is still correct")
    s = factory()
    s.execute(select(1))
    s.connection().exec_driver_sql("SET LOCAL enable_seqscan = off")
    for model, field, index in ((Unit, "room_no", "ix_core_units_room_no_prefix"),
                                (Party, "name", "ix_core_parties_name_prefix"),
                                (Party, "phone", "ix_core_parties_phone_prefix")):
        stmt = select(model.id).where(search_clause(model, [field], "12"))
        compiled = stmt.compile(engine, compile_kwargs={"literal_binds": True})
        plan = "\n".join(row[0] for row in s.connection().exec_driver_sql(f"EXPLAIN {compiled}"))
        assert index in plan, plan
    s.rollback()
    s.close()


def test_masked_fields_are_searched_only_by_users_who_see_them(client_as, world, factory):
    """A prefix search on phones would reveal masked numbers digit by digit to users who see them masked."""
    from core.models import StaffUser
    from core.security.grants import has_permission
    from core.security.masking import VIEW_SENSITIVE

    s = factory()
    users = {name: s.get(StaffUser, uid) for name, uid in world["users"].items()}
    masked_viewer = next(name for name, u in users.items() if has_permission(s, u, "core.parties.view")
                         and not has_permission(s, u, VIEW_SENSITIVE))
    assert has_permission(s, users["admin"], VIEW_SENSITIVE)
    s.close()
    assert "A业主1" in client_as("admin").get("/admin/core_parties/?search=1391234").text
    by_phone = client_as(masked_viewer).get("/admin/core_parties/?search=1391234")
    assert by_phone.status_code == 200 and "A业主1" not in by_phone.text
    assert "A业主1" in client_as(masked_viewer).get("/admin/core_parties/?search=A业主").text  # names still
