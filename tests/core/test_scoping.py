"""Estate scoping (DESIGN 8): staff of estate A cannot read estate B's rows by any path
(list, count, get, lookup); the general manager sees both; plugin record filters are ANDed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.activity import acting_as
from core.errors import NotFound
from core.models import Building, Department, Estate, Party, RelationKind, StaffUser, Unit, UnitRelation
from core.models.activity import Activity
from core.scoping import (
    count_scoped,
    get_scoped,
    in_scope,
    is_scoped,
    lookup,
    require_in_scope,
    scope,
    scoped_select,
    visible_estate_ids,
)
from core.services.units import add_relation
from tests.core.workflow_fixture_plugin import (  # noqa: F401
    WfNote,
    WfTicket,
    wf_fixture,
    wf_instance_fixture,
    wf_tables_fixture,
)

OFFICE_ROLES = ["cs_specialist", "cs_supervisor", "office_manager", "technician", "cashier", "key_custodian", "guard"]

# model -> attribute used for lookups by name
MODELS = {Estate: "name", Building: "name", Unit: "room_no", Party: "name", UnitRelation: None,
          Department: "name", StaffUser: "username", WfTicket: "title", WfNote: "name", Activity: None}


class World:
    """Two estates with one of everything each (plus company-level rows)."""

    def __init__(self, wf):
        self.wf, s = wf, wf.session
        self.session = s
        self.a, self.b = wf.make_estate("A"), wf.make_estate("B")
        self.rows: dict[str, dict[type, set[int]]] = {"A": {}, "B": {}}
        for code, estate in (("A", self.a), ("B", self.b)):
            staff = wf.make_actor("cs_specialist", estates=[estate])
            building = s.scalar(select(Building).where(Building.estate_id == estate.id))
            building.name = f"Building {code}"
            unit = s.scalar(select(Unit).where(Unit.estate_id == estate.id).order_by(Unit.id))
            unit.room_no = f"R{code}01"
            party = Party(name=f"Owner {code}", phone="13912345678")
            dept = Department(estate_id=estate.id, code="CS", name=f"客服部 {code}")
            s.add_all([party, dept])
            s.flush()
            with acting_as(s, staff):
                rel = add_relation(s, unit, party, RelationKind.owner, start_on=dt.date(2024, 1, 1))
                ticket = WfTicket(estate_id=estate.id, title=f"ticket {code}")
                s.add(ticket)
                s.flush()
            note = WfNote(ticket_id=ticket.id, name=f"note {code}")
            s.add(note)
            s.flush()
            self.rows[code] = {
                Estate: {estate.id}, Building: {building.id}, Unit: {unit.id}, Party: {party.id},
                UnitRelation: {rel.id}, Department: {dept.id}, StaffUser: {staff.id}, WfTicket: {ticket.id},
                WfNote: {note.id},
                Activity: set(s.scalars(select(Activity.id).where(Activity.estate_id == estate.id))),
            }
        self.company_dept = Department(estate_id=None, code="GM", name="总经办")
        self.hidden = WfTicket(estate_id=self.a.id, title="hidden A")
        s.add_all([self.company_dept, self.hidden])
        s.flush()

    def name_of(self, model, row_id):
        return getattr(self.session.get(model, row_id), MODELS[model])


@pytest.fixture
def world(wf):
    return World(wf)


def ids(session, actor, model) -> set[int]:
    return set(session.scalars(scope(select(model.id), actor, model, session=session)))


@pytest.mark.parametrize("role", OFFICE_ROLES)
def test_staff_of_a_cannot_read_b_by_any_path(world, role):
    s = world.session
    actor = world.wf.make_actor(role, estates=[world.a])
    for model, name_attr in MODELS.items():
        a_rows, b_rows = world.rows["A"][model], world.rows["B"][model]
        assert a_rows and b_rows, model
        listed = ids(s, actor, model)
        assert a_rows <= listed | ({actor.id} if model is StaffUser else set()), f"{role} misses A's {model.__name__}"
        assert not listed & b_rows, f"{role} lists B's {model.__name__}"
        assert count_scoped(s, actor, model) == len(listed), model
        for row_id in a_rows:
            assert get_scoped(s, actor, model, row_id).id == row_id
        for row_id in b_rows:
            with pytest.raises(NotFound, match=f"no {model.__name__} with id {row_id}"):
                get_scoped(s, actor, model, row_id)
        if name_attr:
            for row_id in b_rows:
                assert lookup(s, actor, model, world.name_of(model, row_id), fields=(name_attr,)) == []
            for row_id in a_rows:
                found = lookup(s, actor, model, world.name_of(model, row_id), fields=(name_attr,))
                assert row_id in [r.id for r in found], f"{role} cannot look up A's {model.__name__}"


def test_the_general_manager_sees_both_estates(world):
    s = world.session
    gm = world.wf.make_actor("general_manager")
    assert visible_estate_ids(s, gm) is None
    for model in MODELS:
        both = world.rows["A"][model] | world.rows["B"][model]
        assert both <= ids(s, gm, model), model
        for row_id in both:
            assert get_scoped(s, gm, model, row_id).id == row_id
    assert lookup(s, gm, Party, "owner") and len(lookup(s, gm, Party, "owner")) == 2


def test_staff_of_both_estates_see_both(world):
    both = world.wf.make_actor("cs_supervisor", estates=[world.a, world.b])
    assert visible_estate_ids(world.session, both) == {world.a.id, world.b.id}
    assert ids(world.session, both, Unit) >= world.rows["A"][Unit] | world.rows["B"][Unit]


def test_company_level_departments_are_visible_to_everyone(world):
    actor = world.wf.make_actor("cs_specialist", estates=[world.b])
    assert world.company_dept.id in ids(world.session, actor, Department)


def test_plugin_record_filters_are_anded(world):
    """wftest's wuye_record_filter hides tickets titled 'hidden...' from everyone but the GM."""
    s = world.session
    cs_a = world.wf.make_actor("cs_specialist", estates=[world.a])
    assert world.hidden.id not in ids(s, cs_a, WfTicket)
    # without session=, the hooks are found through the actor's session
    assert world.hidden.id not in set(s.scalars(scope(select(WfTicket.id), cs_a, WfTicket)))
    assert count_scoped(s, cs_a, WfTicket) == 1
    with pytest.raises(NotFound):
        get_scoped(s, cs_a, WfTicket, world.hidden.id)
    assert not in_scope(s, cs_a, world.hidden)
    gm = world.wf.make_actor("general_manager")
    assert get_scoped(s, gm, WfTicket, world.hidden.id) is world.hidden


def test_in_scope_and_require_in_scope(world):
    s = world.session
    cs_a = world.wf.make_actor("cs_specialist", estates=[world.a])
    party_b = s.get(Party, next(iter(world.rows["B"][Party])))
    unit_a = s.get(Unit, next(iter(world.rows["A"][Unit])))
    assert in_scope(s, cs_a, unit_a) and not in_scope(s, cs_a, party_b)
    with pytest.raises(NotFound):
        require_in_scope(s, cs_a, party_b)
    require_in_scope(s, cs_a, unit_a)


def test_nobody_and_inactive_staff_see_nothing(world):
    s = world.session
    ghost = world.wf.make_actor("office_manager", estates=[world.a])
    ghost.active = False
    for actor in (None, ghost):
        assert visible_estate_ids(s, actor) == frozenset()
        for model in (Unit, Party, WfTicket):
            assert count_scoped(s, actor, model) == 0
        assert not in_scope(s, actor, s.get(Unit, next(iter(world.rows["A"][Unit]))))
    assert s.scalars(scoped_select(s, None, Estate)).all() == []


def test_scope_accepts_legacy_queries_and_extra_criteria(world):
    s = world.session
    cs_b = world.wf.make_actor("cs_specialist", estates=[world.b])
    rows = scope(s.query(Unit), cs_b, Unit).all()
    assert {u.estate_id for u in rows} == {world.b.id}
    assert count_scoped(s, cs_b, Unit, Unit.room_no == "RB01") == 1
    assert count_scoped(s, cs_b, Unit, Unit.room_no == "RA01") == 0


def test_which_models_are_scoped():
    from core.models import Role

    assert all(is_scoped(m) for m in MODELS)
    assert not is_scoped(Role)


def test_authorize_is_the_one_estate_and_permission_check(world):
    # core.authorize: permission, estate (by record, Estate or id) and the plugins' record filters,
    # which the five copies it replaced never applied.
    from core import PermissionDenied, as_system, authorize

    s = world.session
    cs_a = world.wf.make_actor("cs_specialist", estates=[world.a])
    ticket_a = s.get(WfTicket, next(iter(world.rows["A"][WfTicket])))
    ticket_b = s.get(WfTicket, next(iter(world.rows["B"][WfTicket])))
    authorize(s, cs_a, "core.units.view", ticket_a)
    authorize(s, cs_a, "core.units.view", world.a)
    authorize(s, cs_a, "core.units.view", world.a.id)
    for target in (ticket_b, world.b, world.b.id):
        with pytest.raises(PermissionDenied, match="estate|may not act"):
            authorize(s, cs_a, "core.units.view", target)
    with pytest.raises(PermissionDenied, match="may not act on this WfTicket"):
        authorize(s, cs_a, None, world.hidden)  # estate A, but wftest's record filter hides it
    with pytest.raises(PermissionDenied, match="lacks the permission 'core.staff.manage'"):
        authorize(s, cs_a, "core.staff.manage", ticket_a)
    gm = world.wf.make_actor("general_manager")
    authorize(s, gm, "core.staff.manage", world.hidden)
    # nobody acting: refused, unless the session acts as the system (jobs, demo data)
    with pytest.raises(PermissionDenied, match="no staff member is acting"):
        authorize(s, None, "core.units.view", ticket_a)
    with as_system(s):
        authorize(s, None, "core.staff.manage", ticket_b)
    with pytest.raises(PermissionDenied):
        authorize(s, None, "core.units.view")  # the system flag is gone after the block
