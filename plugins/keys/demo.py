"""Demo data for ``wuye demo``: facility rooms, a developer handover, keys issued to owners, one
custody agreement and a few loans (one overdue). Everything goes through the services, so the
registers and the workflow history look exactly as they would after real work."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import as_system, estate_today, has_permission, owners_of, utcnow, visible_estate_ids
from core.models import Estate, StaffUser, Unit, UnitStatus
from plugins.keys import services


def _staff_for(session, estate: Estate, permission: str, *, other_than: StaffUser | None = None) -> StaffUser | None:
    """A staff member of the estate holding ``permission`` (the key custodian first), not ``other_than``."""
    users = session.scalars(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.id))
    ranked = sorted(users, key=lambda u: ("key_custodian" not in u.role_names, "cs_supervisor" not in u.role_names,
                                          u.id))
    for user in ranked:
        if other_than is not None and user.id == other_than.id:
            continue
        estate_ids = visible_estate_ids(session, user)  # None: every estate
        if (estate_ids is None or estate.id in estate_ids) and has_permission(session, user, permission):
            return user
    return None


def build_demo(session, estate: Estate) -> dict:
    """Add the keys demo records for ``estate``; returns what was made (counts).

    The estate's key custodian (or another holder of the keys permissions) does the work, so the
    history shows a person; without staff the system does it.
    """
    with as_system(session):
        return _build(session, estate)


def _build(session, estate: Estate) -> dict:
    now = utcnow()
    custodian = _staff_for(session, estate, "keys.approve_loan")  # the key custodian acts when there is one
    needed = ("keys.manage", "keys.lend", "keys.return", "keys.custody")
    actor = custodian if custodian and all(has_permission(session, custodian, p) for p in needed) else None
    rooms = [services.create_facility_room(session, actor, estate_id=estate.id, name=name, kind=kind, location=loc)
             for name, kind, loc in (("1号配电房", "plant_room", "1栋负一层"), ("监控室", "cctv_room", "管理处二楼"),
                                     ("管理处办公室", "office", "管理处一楼"))]
    units = list(session.scalars(select(Unit).where(Unit.estate_id == estate.id).order_by(Unit.id)))
    undelivered = [u for u in units if u.status == UnitStatus.not_delivered][:3]
    occupied = [u for u in units if u.status == UnitStatus.occupied and owners_of(session, u)][:4]
    lines = [{"tag_no": f"F-{i + 1:03d}", "facility_room_id": r.id, "copies": 2, "key_type": "机房门",
              "cabinet_slot": f"A-{i + 1:02d}"} for i, r in enumerate(rooms)]
    lines += [{"tag_no": f"U-{u.label}", "unit_id": u.id, "copies": 3, "key_type": "入户门",
               "cabinet_slot": f"B-{i + 1:02d}"} for i, u in enumerate(undelivered + occupied)]
    batch = services.receive_handover_batch(session, actor, estate_id=estate.id, lines=lines, phase="一期",
                                            developer_name="开发商工程部", received_at=now - dt.timedelta(days=40))
    for i, line in enumerate(batch.lines):
        if i == len(batch.lines) - 1 and len(batch.lines) > 4:
            services.check_handover_line(session, actor, line, result="present", counted_copies=2,
                                         remarks="少一把 (one copy short)")
        else:
            services.check_handover_line(session, actor, line, result="present")
    services.seal_handover_batch(session, actor, batch, seal_no=f"FT-{estate.code}-0001")
    key_sets = {ln.key_set.tag_no: ln.key_set for ln in batch.lines}
    for u in occupied:
        services.issue_to_owner(session, actor, key_sets[f"U-{u.label}"])
    made = {"rooms": len(rooms), "key_sets": len(key_sets), "agreements": 0, "loans": 0}
    escort = _staff_for(session, estate, "keys.lend") or custodian
    # the approver is never the person lending the key (the custodian lends, the CS supervisor approves)
    approver = _staff_for(session, estate, "keys.approve_loan", other_than=actor) if actor else custodian
    if custodian is None or approver is None:
        return made  # no staff yet: registers only
    plant = key_sets["F-001"]
    services.lend_key(session, actor, plant, borrower_name="张师傅", borrower_company="工程部", purpose="maintenance",
                      approved_by_id=approver.id, issued_at=now - dt.timedelta(hours=30),
                      expected_return_at=now - dt.timedelta(hours=27))
    services.return_key(session, actor, plant, condition="intact", returned_at=now - dt.timedelta(hours=27, minutes=10))
    services.lend_key(session, actor, key_sets["F-002"], borrower_name="李工", borrower_company="监控设备维保公司",
                      borrower_phone="13900001111", purpose="maintenance", approved_by_id=approver.id,
                      escort_id=escort.id, issued_at=now - dt.timedelta(hours=5),
                      expected_return_at=now - dt.timedelta(hours=2))  # not back: overdue
    made["loans"] = 2
    if occupied:
        unit = occupied[0]
        owner = owners_of(session, unit)[0]
        ks = key_sets[f"U-{unit.label}"]
        services.take_spare_into_custody(
            session, actor, ks, owner_id=owner.id, reason="travel", permitted_uses=["repairs", "emergency",
                                                                                    "meter_reading"],
            authorised_persons=[{"name": owner.name, "phone": owner.phone, "relation": "本人"}],
            witnessed_by_id=custodian.id, confirmation_channel="in_person",
            end_on=estate_today(session, estate.id) + dt.timedelta(days=60))
        services.lend_key(session, actor, ks, borrower_name="王师傅", borrower_company="工程部", purpose="repairs",
                          purpose_detail="卫生间漏水检修", approved_by_id=approver.id, escort_id=escort.id,
                          consent_by=owner.name, consent_at=now - dt.timedelta(hours=3), consent_channel="phone",
                          issued_at=now - dt.timedelta(hours=2), expected_return_at=now - dt.timedelta(hours=1))
        services.return_key(session, actor, ks, condition="intact", door_closed=True, contents_intact=True,
                            returned_at=now - dt.timedelta(hours=1, minutes=20))
        made["agreements"], made["loans"] = 1, 3
    services.flag_overdue_loans(session, now)
    return made
