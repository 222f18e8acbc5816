"""``wuye_demo_data``: a handful of key sets, one custody agreement and a few loans, one overdue."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from core.models import Party, RelationKind
from core.services.units import add_relation
from plugins.keys.models import (
    CustodyAgreement,
    FacilityRoom,
    HandoverBatch,
    KeyLoan,
    KeySet,
    KeyStatus,
    LoanKind,
    LoanStatus,
)


def test_demo_data(session, wuye, make_estate, staff):
    estate = make_estate("DM", units=8)
    units = sorted((u for b in estate.buildings for u in b.units), key=lambda u: u.id)
    for i, unit in enumerate(units):
        party = Party(name=f"业主{i}", phone=f"1380000000{i}")
        session.add(party)
        session.flush()
        add_relation(session, unit, party, RelationKind.owner, start_on=dt.date(2024, 1, 1))
    staff("key_custodian", estates=[estate])
    staff("cs_supervisor", estates=[estate])  # approves the custodian's loans (never his own)
    wuye.hook.wuye_demo_data(session=session, estate=estate)
    assert session.scalar(select(func.count()).select_from(FacilityRoom)) == 3
    statuses = dict(session.execute(select(KeySet.status, func.count()).where(KeySet.estate_id == estate.id)
                                    .group_by(KeySet.status)).all())
    assert statuses[KeyStatus.issued_to_owner] == 3 and statuses[KeyStatus.in_custody] == 1
    assert statuses[KeyStatus.lent] == 1 and statuses[KeyStatus.sealed] == 2
    [agreement] = session.scalars(select(CustodyAgreement))
    assert agreement.reason == "travel" and "repairs" in agreement.permitted_uses
    lends = list(session.scalars(select(KeyLoan).where(KeyLoan.kind == LoanKind.lend).order_by(KeyLoan.id)))
    assert len(lends) == 3
    overdue = [ln for ln in lends if ln.flagged_overdue_at is not None]
    assert len(overdue) == 1 and overdue[0].status == LoanStatus.out and overdue[0].is_overdue
    assert all(ln.approved_by_id != ln.issued_by_id for ln in lends)
    [batch] = session.scalars(select(HandoverBatch))
    assert batch.status == "sealed" and batch.seal_no == "FT-DM-0001"
