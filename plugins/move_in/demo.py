"""Demo data for ``wuye demo``: a developer handover list, a slot, and move-in cases at every kind of
step, all through the services and the workflow, so the registers, histories and unit pages look
like real work.

The demo estates have no owner on their undelivered units (the developer has not sold them yet in
core's demo), so the buyers are recorded first: a party and an ownership from the developer's sales
list, through the core unit service. Then, one unit each (in this order):

* moved in (入伙办结): documents, fees, inspection, signature, keys, completed;
* jointly inspected with two defects (one for engineering: a repair order when repairs is enabled;
  one for the developer's warranty);
* documents checked, a cable-TV installation fee owed at the cashier;
* appointment booked; just notified;
* deemed delivered (视同交付): notified six weeks ago, the owner never came.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import add_relation, as_system, estate_today, owners_of, zone_of
from core.models import Estate, Party, PartyKind, RelationKind, Unit, UnitStatus
from plugins.billing import services as billing
from plugins.keys import services as keys
from plugins.move_in import services

BUYERS = (("陈嘉怡", "13912340101", "320102199003150021"), ("周子轩", "13912340102", "320104198711020035"),
          ("吴雨桐", "13912340103", "320106199205080048"), ("郑浩然", "13912340104", "320111198509230016"),
          ("孙欣怡", "13912340105", "320113199112120027"), ("马志远", "13912340106", "320115198801300039"))
# An office building's units are bought by companies (单位购房): the business licence number stands for the ID.
COMPANY_BUYERS = (("南京恒远贸易有限公司", "025-83301101", "91320106MA1XK0Q01A"),
                  ("江苏启明信息技术有限公司", "025-83301102", "91320105MA1XK0Q02B"),
                  ("南京汇通会计师事务所", "025-83301103", "91320104MA1XK0Q03C"),
                  ("江苏博远律师事务所", "025-83301104", "31320000MA1XK0Q04D"),
                  ("南京青禾文化传媒有限公司", "025-83301105", "91320102MA1XK0Q05E"),
                  ("南京瑞丰建筑设计有限公司", "025-83301106", "91320111MA1XK0Q06F"))
# (steps applied after the notice, days since the notice was sent); "deem" only after the notified date
PLAN = (
    (("check_documents", "confirm_fees", "inspect", "sign", "issue_keys", "complete"), 12),
    (("check_documents", "confirm_fees", "defects", "inspect"), 8),
    (("check_documents", "catv_fee"), 6),
    (("book",), 4),
    ((), 2),
    (("deem",), 45),
)
DOCUMENTS = {"id_checked": True, "contract_checked": True, "persons": 1, "photos_count": 2}
STEP_DATA = {"check_documents": DOCUMENTS, "inspect": {"inspectors": "客服专员、工程部", "water_reading": "00003",
                                                       "electricity_reading": "00012"}}


def build_demo(session, estate: Estate) -> dict:
    """Add the move-in demo records for ``estate``; returns what was made (counts)."""
    with as_system(session):
        return _build(session, estate)


def _buyers(session, estate: Estate, today: dt.date) -> list[Unit]:
    """Undelivered units for the plan, each with an owner (the developer's buyer recorded if none)."""
    units = list(session.scalars(select(Unit).where(Unit.estate_id == estate.id,
                                                    Unit.status == UnitStatus.not_delivered)
                                 .order_by(Unit.id).limit(len(PLAN))))
    company = estate.kind == "office"
    for unit, (name, phone, id_number) in zip(units, COMPANY_BUYERS if company else BUYERS, strict=False):
        if owners_of(session, unit, today - dt.timedelta(days=60)):
            continue
        buyer = Party(name=name, phone=phone, id_number=id_number,
                      **({"kind": PartyKind.company, "id_type": "business_licence"} if company else {}))
        session.add(buyer)
        session.flush()
        add_relation(session, unit, buyer, RelationKind.owner, start_on=today - dt.timedelta(days=120))
    return units


def _pay_up(session, case) -> None:
    """The owner pays what the unit owes at the cashier (billing), as the fees come first."""
    owed = services.open_amount_fen(session, case)
    if owed > 0:
        billing.record_payment(session, None, unit=case.unit, amount_fen=owed, method="cash")


def _sealed_key(session, case) -> None:
    """The developer's key of the unit, sealed in the office (keys' demo seals a few; else one here)."""
    if keys.key_sets_of_unit(session, case.unit_id, "sealed"):
        return
    ks = keys.create_key_set(session, None, estate_id=case.estate_id, tag_no=f"MI-{case.unit.label}",
                             unit_id=case.unit_id, key_type="入户门", copies=3)
    keys.receive_from_developer(session, None, ks)


def _step(session, case, step: str, slot) -> None:
    if step == "catv_fee":
        services.post_move_in_fee(session, None, case, fee_item_code=services.CATV_INSTALLATION, amount_fen=30000)
    elif step == "defects":
        services.record_defect(session, None, case_id=case.id, location="主卧", description="窗户密封条脱落，关窗漏风",
                               responsible="engineering")
        services.record_defect(session, None, case_id=case.id, location="客厅", description="踢脚线松动",
                               responsible="developer")
    elif step == "book":
        services.transition(session, None, case, "book", slot_id=slot.id)
    else:
        if step == "confirm_fees":
            _pay_up(session, case)
        if step == "issue_keys":
            _sealed_key(session, case)
        services.transition(session, None, case, step, **STEP_DATA.get(step, {}))


def _build(session, estate: Estate) -> dict:
    today = estate_today(session, estate.id)
    units = _buyers(session, estate, today)
    if not units:
        return {"batches": 0, "cases": 0}
    billing.ensure_fee_items(session)
    batch = services.create_batch(session, None, estate_id=estate.id, name="二期 交房", developer_name="开发商工程部",
                                  handed_over_on=today - dt.timedelta(days=60), unit_ids=[u.id for u in units],
                                  move_in_from=today - dt.timedelta(days=50), move_in_to=today + dt.timedelta(days=25))
    # tomorrow 09:00-12:00 at the estate (slots are kept in UTC)
    start = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(9, 0), tzinfo=zone_of(estate)).astimezone(dt.UTC)
    slot = services.create_slot(session, None, estate_id=estate.id, batch_id=batch.id, starts_at=start,
                                ends_at=start + dt.timedelta(hours=3), capacity=10)
    for unit, (steps, days_ago) in zip(units, PLAN, strict=False):
        case = services.issue_notice(session, None, unit_id=unit.id, batch_id=batch.id,
                                     notice_sent_on=today - dt.timedelta(days=days_ago))
        for step in steps:
            _step(session, case, step, slot)
    return {"batches": 1, "cases": len(units)}
