"""The move-in plugin enabled with only its dependencies (billing, keys; repairs left out): it
boots, and its demo data builds through the services."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from core.models import Party, RelationKind, UnitStatus
from core.services.units import add_relation
from core.testing import boot
from plugins.billing import services as billing
from plugins.move_in import services
from plugins.move_in.models import MoveInBatch, MoveInCase


def test_boots_without_repairs():
    alone = boot(enabled=["billing", "keys", "move_in"])
    assert alone.order == ["billing", "keys", "move_in"] and not alone.is_enabled("repairs")
    assert "move_in.case" in alone.registry.workflows
    assert {p for p in alone.registry.permissions if p.startswith("move_in.")} == {
        "move_in.view", "move_in.manage", "move_in.confirm_fees", "move_in.deem"}
    assert alone.registry.tables_of("move_in") == ["move_in_batch_units", "move_in_batches", "move_in_cases",
                                                   "move_in_defects", "move_in_slots"]


def test_demo_data(session, wuye, make_estate):
    """Undelivered units without owners get the developer's buyers, then cases at every kind of step."""
    estate = make_estate("MID", units=7, status=UnitStatus.not_delivered)
    units = sorted((u for b in estate.buildings for u in b.units), key=lambda u: u.id)
    party = Party(name="老业主")  # one unit already sold and recorded: its owner is kept
    session.add(party)
    session.flush()
    add_relation(session, units[1], party, RelationKind.owner, start_on=dt.date(2025, 1, 1))
    billing.ensure_fee_items(session)  # as the seed does before ``wuye demo`` asks the plugins
    wuye.hook.wuye_demo_data(session=session, estate=estate)
    assert session.scalar(select(func.count()).select_from(MoveInBatch).where(MoveInBatch.estate_id == estate.id)) == 1
    cases = {c.unit_id: c for c in session.scalars(select(MoveInCase).where(MoveInCase.estate_id == estate.id))}
    assert [cases[u.id].status for u in units[:6]] == ["done", "inspected", "documents_checked", "booked",
                                                       "notified", "deemed"]
    assert units[6].id not in cases and units[6].status == UnitStatus.not_delivered
    assert cases[units[1].id].owner.name == "老业主" and cases[units[0].id].owner.name == "陈嘉怡"
    assert [u.status for u in units[:6]] == ["delivered", "notified", "notified", "notified", "notified",
                                             "deemed_delivered"]
    inspected = cases[units[1].id]
    assert {d.responsible for d in inspected.defects} == {"engineering", "developer"}
    assert cases[units[2].id].open_at_check_fen is None and services.open_amount_fen(session, cases[units[2].id]) > 0
    assert cases[units[0].id].keys_count >= 1 and cases[units[3].id].slot_id is not None
