"""Demo data for ``wuye demo``: repair categories and a morning's repair orders in every stage (just
received, dispatched, on the way, waiting for parts, completed with a photo and closed), and a paid
lock change the owner confirmed, on the unit's bill as 维修费 (fee item ``REPAIR_PAID``). Everything
goes through the services and the workflow, so the registers and histories look like real work."""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import select

from core import add_attachment, as_system, has_permission, utcnow, visible_estate_ids
from core.models import Estate, StaffUser, Unit
from plugins.repairs import services

CATEGORIES = (("plumbing", "Plumbing", "水管", "grab"), ("electrical", "Electrical", "电路", "assign"),
              ("doors_windows", "Doors and windows", "门窗", "assign"), ("public", "Public facilities", "公共设施", "assign"),
              ("locks", "Lock cylinders (paid)", "门锁更换（有偿）", "assign"))
PAID = {"locks": 6000}  # 有偿维修: price-list labour in fen, charged as 维修费 when the owner confirms
ORDERS = (  # (category, request, steps taken)
    ("plumbing", "厨房水槽下水管漏水，地面有积水", ()),
    ("electrical", "卫生间插座不通电，空开跳闸", ("dispatch",)),
    ("doors_windows", "阳台推拉门滑轮损坏，关不严", ("dispatch", "accept")),
    ("plumbing", "热水器进水阀门滴水，需更换阀门", ("dispatch", "accept", "arrive", "start", "wait_parts")),
    ("electrical", "客厅吊灯不亮，更换镇流器", ("dispatch", "accept", "arrive", "start", "complete", "confirm", "close")),
    ("locks", "入户门锁芯损坏，更换锁芯（业主同意有偿维修）",
     ("dispatch", "accept", "arrive", "start", "complete", "confirm")),
)


def _technician(session, estate: Estate) -> StaffUser | None:
    for user in session.scalars(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.id)):
        estates = visible_estate_ids(session, user)
        if "technician" in user.role_names and (estates is None or estate.id in estates) \
                and has_permission(session, user, "repairs.work"):
            return user
    return None


def _photo() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (240, 240, 230)).save(buf, format="PNG")
    return buf.getvalue()


def build_demo(session, estate: Estate) -> dict:
    """Add the repairs demo records for ``estate``; returns what was made (counts)."""
    with as_system(session):
        return _build(session, estate)


def _build(session, estate: Estate) -> dict:
    categories = {code: services.create_category(session, None, estate_id=estate.id, code=code, name=name,
                                                 name_zh=zh, dispatch_mode=mode, paid=code in PAID,
                                                 labour_fen=PAID.get(code, 0))
                  for code, name, zh, mode in CATEGORIES}
    units = list(session.scalars(select(Unit).where(Unit.estate_id == estate.id).order_by(Unit.id).limit(len(ORDERS))))
    tech = _technician(session, estate)
    start = utcnow() - dt.timedelta(hours=3)
    made = 0
    for i, (code, request, steps) in enumerate(ORDERS):
        if i >= len(units):
            break
        order = services.register_order(session, None, now=start + dt.timedelta(minutes=20 * i), unit_id=units[i].id,
                                        category_id=categories[code].id, description=request, channel="phone")
        if steps and tech is not None:
            services.assign_technician(session, None, order, tech)
        for step in steps:
            if step == "complete":
                add_attachment(session, None, order, "完工照片.png", _photo(), kind="photo")
            if step == "confirm" and order.paid:  # the owner accepted the price-list price first
                services.accept_price(session, None, order)
            services.transition(session, None, order, step)
        made += 1
    return {"categories": len(categories), "orders": made}
