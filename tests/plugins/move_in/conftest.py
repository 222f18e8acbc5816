"""Fixtures for the move-in plugin's tests: estate A (units not yet delivered, an owner, sealed keys)
and estate B, a CS specialist, a cashier and a CS supervisor of each, on a pinned business date, and
``to_state`` to take a case along its steps."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from core import add_attachment, business_date
from core.models import Party, RelationKind, Unit, UnitStatus
from core.services.units import add_relation
from plugins.billing import services as billing
from plugins.keys import services as keys
from plugins.move_in import services

DAY = dt.date(2026, 3, 10)  # the business date (业务日期): the tests agree on "today" whatever the clock
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STEPS = ("check_documents", "confirm_fees", "inspect", "sign", "issue_keys", "complete")
DOCUMENTS = {"id_checked": True, "contract_checked": True, "persons": 1, "photos_count": 2}


@pytest.fixture
def mi(session, seeded, make_estate, make_actor):
    with business_date(session, DAY):
        w = SimpleNamespace(session=session, day=DAY)
        w.a = make_estate("MIA", units=3, status=UnitStatus.not_delivered)
        w.b = make_estate("MIB", units=1, status=UnitStatus.not_delivered)
        w.units = list(session.scalars(select(Unit).where(Unit.estate_id == w.a.id).order_by(Unit.id)))
        w.unit_b = session.scalar(select(Unit).where(Unit.estate_id == w.b.id))
        w.owner = Party(name="林业主", phone="13900000011", id_number="320101198001010011")
        w.owner_b = Party(name="乙业主", phone="13900000012")
        session.add_all([w.owner, w.owner_b])
        session.flush()
        for unit in w.units:
            add_relation(session, unit, w.owner, RelationKind.owner, start_on=dt.date(2025, 12, 1))
        add_relation(session, w.unit_b, w.owner_b, RelationKind.owner, start_on=dt.date(2025, 12, 1))
        w.clerk = make_actor("cs_specialist", estates=[w.a])
        w.cashier = make_actor("cashier", estates=[w.a])
        w.sup = make_actor("cs_supervisor", estates=[w.a])
        w.manager = make_actor("office_manager", estates=[w.a])
        w.clerk_b = make_actor("cs_specialist", estates=[w.b])
        billing.ensure_fee_items(session)
        for i, unit in enumerate(w.units):  # the developer's keys, received and sealed in the office
            ks = keys.create_key_set(session, w.sup, estate_id=w.a.id, tag_no=f"MI-{i}", unit_id=unit.id, copies=3)
            keys.receive_from_developer(session, w.sup, ks)

        def notice(unit=None, **kw):
            return services.issue_notice(session, w.clerk, unit_id=(unit or w.units[0]).id, **kw)

        def charge(case, fen=12000, item=services.CATV_INSTALLATION):
            return services.post_move_in_fee(session, w.clerk, case, fee_item_code=item, amount_fen=fen)

        def pay(unit, fen):
            return billing.record_payment(session, w.cashier, unit=unit, amount_fen=fen, method="cash")

        def letter(case):
            return add_attachment(session, w.clerk, case, "委托书.pdf", PDF, kind="power_of_attorney")

        def to_state(case, last: str, **data):
            done = {"documents_checked": 1, "fees_paid": 2, "inspected": 3, "signed": 4, "keys_issued": 5}
            for step in STEPS[done.get(case.status, 0):]:
                extra = DOCUMENTS | data.get(step, {}) if step == "check_documents" else data.get(step, {})
                services.transition(session, w.cashier if step == "confirm_fees" else w.clerk, case, step, **extra)
                if step == last:
                    break
            return case

        w.notice, w.charge, w.pay, w.letter, w.to_state = notice, charge, pay, letter, to_state
        yield w
