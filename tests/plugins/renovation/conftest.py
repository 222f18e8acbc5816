"""Fixtures for the renovation tests: an estate with owned units, one actor per role, and a driver
that walks an application through the workflow the way staff would."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core import estate_today
from core.models import Building, Estate, Party, RelationKind, Unit
from core.security.grants import has_permission
from core.services.units import add_relation
from plugins.billing import services as billing
from plugins.renovation import services

ROLES = ("cs_specialist", "cs_supervisor", "engineer", "engineering_supervisor", "chief_engineer", "office_manager",
         "cashier", "security_manager", "guard", "general_manager")

CONTRACTOR = {"contractor_name": "金螳螂家装工程有限公司", "contractor_licence_no": "91320100MA1XXXXX0K",
              "contractor_qualification_no": "D232000123", "contractor_site_manager": "周建国"}
WORKERS = [{"name": "孙立", "id_number": "320102198503120011", "trade": "electrician",
            "skill_certificate_no": "DG-2019-0311"},
           {"name": "钱峰", "id_number": "320102199011050032", "trade": "tiler"}]

# The happy path: (transition, role that performs it); "pay" and "checks" are the cashier's and
# the acceptance team's work between steps.
HAPPY_PATH = (
    ("receive", "cs_specialist"), ("pass_cs_review", "cs_specialist"), ("pass_engineering_review", "engineer"),
    ("approve", "office_manager"), ("sign_agreement", "cs_specialist"), ("pay", "cashier"),
    ("confirm_payment", "cashier"), ("issue_permit", "cs_specialist"), ("start", "cs_specialist"),
    ("report_completion", "cs_specialist"), ("begin_acceptance", "engineer"), ("checks", "engineer"),
    ("accept", "engineer"), ("settle", "cs_supervisor"), ("close", "cs_supervisor"),
)
STATE_AFTER = {"receive": "cs_review", "pass_cs_review": "engineering_review",
               "pass_engineering_review": "manager_approval", "approve": "approved",
               "sign_agreement": "agreement_signed", "confirm_payment": "fees_paid", "issue_permit": "permit_issued",
               "start": "in_progress", "report_completion": "completion_reported", "begin_acceptance": "acceptance",
               "accept": "accepted", "settle": "deposit_settled", "close": "closed"}


SH = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai has no DST


def at_local(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    """The UTC instant of ``hh:mm`` on ``day`` at the estate (Asia/Shanghai)."""
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=SH).astimezone(dt.UTC)


class Reno:
    """The test world: ``session``, ``estate``, ``units``, ``owner``, ``actors[role]``, ``approver``."""

    def __init__(self, session, estate, units, owner, tenant, actors, approver):
        self.session, self.estate, self.units, self.owner, self.tenant = session, estate, units, owner, tenant
        self.actors, self.approver = actors, approver
        self.today = estate_today(session, estate)

    def apply(self, unit=None, *, actor="cs_specialist", applicant=None, **kw):
        kw.setdefault("planned_start", self.today + dt.timedelta(days=2))
        kw.setdefault("planned_end", self.today + dt.timedelta(days=45))
        kw.setdefault("scope", ["wall_finish", "flooring", "electrical"])
        kw.setdefault("workers", WORKERS)
        if not kw.get("self_renovation"):
            for k, v in CONTRACTOR.items():
                kw.setdefault(k, v)
        return services.apply_for_renovation(self.session, self.actors[actor], unit=unit or self.units[0],
                                             applicant=applicant or self.owner, **kw)

    def step(self, app, name, role, **data):
        return services.transition(self.session, self.actors[role], app, name, **data)

    def pay(self, app, *, deposit=True):
        """The cashier takes the charges of the application and the deposit."""
        cashier = self.actors["cashier"]
        owed = billing.outstanding_fen(self.session, source=app.source)
        if owed:
            lines = [line.id for line in billing.charges_for(self.session, source=app.source)]
            billing.record_payment(self.session, cashier, unit=app.unit, amount_fen=owed, method="cash", lines=lines)
        if deposit:
            services.hold_deposit(self.session, cashier, app)

    def checks(self, app, passed=True):
        engineer, cs = self.actors["engineer"], self.actors["cs_specialist"]
        ok = dict.fromkeys(services.ACCEPTANCE_CHECKS, True)
        services.record_acceptance_check(self.session, engineer, app, kind="engineering", passed=passed,
                                         checks=ok if passed else {"pipes": False},
                                         rectification_items="" if passed else "downpipe boxed in")
        services.record_acceptance_check(self.session, cs, app, kind="cs", passed=True)

    def settle(self, app, **kw):
        return services.settle_deposit(self.session, self.actors["cs_supervisor"], app, approver=self.approver, **kw)

    def drive(self, app, until: str):
        """Walk ``app`` along the happy path, from wherever it is, until it is in state ``until``."""
        names = [n for n, _ in HAPPY_PATH]
        start = 0 if app.status == "submitted" else next(
            i + 1 for i, n in enumerate(names) if STATE_AFTER.get(n) == app.status)
        for name, role in HAPPY_PATH[start:]:
            if app.status == until:
                return app
            if name == "pay":
                self.pay(app)
            elif name == "checks":
                self.checks(app)
            elif name == "settle":
                self.settle(app)
            else:
                self.step(app, name, role)
        assert app.status == until, f"{until} is not on the happy path"
        return app

    def count(self, model) -> int:
        return self.session.scalar(select(func.count()).select_from(model))


def owned_unit(session, code: str) -> tuple[Estate, Unit, Party]:
    """A committed-world estate ``code`` with one occupied unit 101 and its owner (for the race tests,
    which cannot use the rolled-back ``make_estate``)."""
    estate = Estate(code=code, name=f"Estate {code}")
    session.add(estate)
    session.flush()
    building = Building(estate_id=estate.id, code="1")
    session.add(building)
    session.flush()
    unit = Unit(estate_id=estate.id, building_id=building.id, room_no="101", status="occupied")
    owner = Party(name="周敏")
    session.add_all([unit, owner])
    session.flush()
    add_relation(session, unit, owner, RelationKind.owner, start_on=dt.date(2024, 1, 1))
    return estate, unit, owner


@pytest.fixture
def reno(seeded, make_estate, make_actor, monkeypatch):
    # Ten logins per test: skip argon2's deliberately slow hashing (passwords play no part here).
    monkeypatch.setattr("core.services.staff.hash_password", lambda password: "test-only:" + password)
    session = seeded
    estate = make_estate("RN", units=4)
    units = list(session.scalars(select(Unit).where(Unit.estate_id == estate.id).order_by(Unit.id)))
    owner = Party(name="王伟", id_number="320102198001010011", phone="13800000001")
    tenant = Party(name="李娜", id_number="320102199202020022", phone="13800000002")
    session.add_all([owner, tenant])
    session.flush()
    since = dt.date(2024, 1, 1)
    for unit in units:
        add_relation(session, unit, owner, RelationKind.owner, start_on=since)
    add_relation(session, units[1], tenant, RelationKind.tenant, start_on=since)
    actors = {role: make_actor(role, estates=[estate]) for role in ROLES}
    approver = next(a for a in actors.values() if a is not actors["cs_supervisor"]
                    and has_permission(session, a, "billing.approve_refund"))
    return Reno(session, estate, units, owner, tenant, actors, approver)
