"""Demo data (``wuye demo``): a published price list with the manual's free and paid items (004 P1),
orders in every state, and a long-term agreement. Made through the services, as staff would."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import has_permission, visible_estate_ids
from core.models import Department, Estate, RelationKind, StaffUser, Unit, UnitRelation
from plugins.convenience import services

# code, name, name_zh, category, fee_kind, unit_of_charge, price_fen, prepay_kind, prepay_fen, provider, hours
CATALOGUE = (
    ("F-TICKET", "Book air, train and boat tickets; call taxis", "代订机票、车船票，代叫出租车", "business_info",
     "free", "per_job", 0, "none", 0, "cs", 2),
    ("F-MAIL", "Send and collect mail; order newspapers and milk", "代寄代领邮件，代订报刊、牛奶", "business_info",
     "free", "per_job", 0, "none", 0, "cs", 24),
    ("F-CUSTODY", "Temporary custody of small items", "临时代管小件物品", "business_info", "free", "per_job", 0,
     "none", 0, "cs", 1),
    ("F-BOX", "Convenience box: first aid and common tools", "便民箱(急救用品、常用工具)", "convenience_box", "free",
     "per_job", 0, "none", 0, "cs", 1),
    ("F-TV", "Tune TV channels and the intercom", "调试电视节目、对讲系统", "tuning", "free", "per_job", 0, "none", 0,
     "eng", 24),
    ("P-SOCKET", "Repair or replace switches, sockets, doorbells", "修理、更换开关/插座/门铃", "installation_repair",
     "paid", "per_job", 3000, "none", 0, "eng", 24),
    ("P-DRAIN", "Unblock branch drains", "疏通室内下水管道(支管)", "installation_repair", "paid", "per_job", 5000,
     "none", 0, "eng", 4),
    ("P-LOCK", "Install, repair or replace door locks", "安装、修理、更换门锁", "installation_repair", "paid",
     "per_job", 8000, "prepayment", 4000, "eng", 24),
    ("P-AC-CLEAN", "Clean air-conditioner filters", "清洗空调过滤网", "installation_repair", "paid", "per_job", 4000,
     "none", 0, "eng", 48),
    ("P-CLEAN", "Indoor cleaning", "室内清洁维护", "cleaning", "paid", "per_hour", 3500, "none", 0, "env", 24),
    ("P-PLANT", "Indoor plant care (monthly)", "室内绿化维护(包月)", "plant_care", "paid", "per_month", 8000, "none",
     0, "env", 72),
    ("P-PEST", "Indoor pest control", "室内消杀", "pest_control", "paid", "per_job", 6000, "none", 0, "env", 48),
    ("P-TYPING", "Chinese/English typing and faxing (per page)", "中英文打字、收发传真(每页)", "office_services",
     "paid", "per_job", 500, "none", 0, "cs", 4),
    ("P-SITTING", "House-sitting (monthly)", "照看房屋(包月)", "house_sitting", "paid", "per_month", 20000, "none", 0,
     "cs", 24),
    ("P-HOURLY", "Hourly domestic help", "钟点工", "hourly_help", "paid", "per_hour", 3000, "none", 0, "env", 24),
    ("P-CARWASH", "Car wash", "洗车", "car_care", "paid", "per_job", 2500, "none", 0, "partner:洁亮汽车美容服务部", 4),
    ("P-LAUNDRY", "Dry and wet laundry (per piece)", "干、湿洗衣服务(每件)", "laundry", "paid", "per_job", 1500,
     "none", 0, "partner:净衣坊洗衣中心", 48),
    ("P-MEETING", "Meeting management with equipment", "会务管理(含设备)", "meeting", "paid", "per_hour", 20000,
     "deposit", 50000, "cs", 72),
    ("P-MOVING", "Moving and portering", "搬运服务", "moving", "paid", "per_hour", 8000, "prepayment", 8000, "sec", 24),
)


def _staff(session: Session, estate: Estate, permission: str) -> StaffUser | None:
    for user in session.scalars(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.id)):
        ids = visible_estate_ids(session, user)
        if (ids is None or estate.id in ids) and has_permission(session, user, permission) and not user.all_estates:
            return user
    for user in session.scalars(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.id)):
        if user.all_estates and has_permission(session, user, permission):
            return user
    return None


def _provider(session: Session, estate: Estate, provider: str) -> dict:
    if provider.startswith("partner:"):
        return {"provider_company": provider.split(":", 1)[1]}
    dept = session.scalar(select(Department).where(Department.estate_id == estate.id, Department.code == provider))
    return {"provider_department_id": dept.id if dept else None}


def _customers(session: Session, estate: Estate, kind: RelationKind, n: int) -> list[tuple[Unit, int]]:
    rows = session.execute(select(Unit, UnitRelation.party_id).join(UnitRelation, UnitRelation.unit_id == Unit.id)
                           .where(Unit.estate_id == estate.id, UnitRelation.kind == kind, UnitRelation.end_on.is_(None))
                           .order_by(Unit.id).limit(n)).all()
    return [(u, p) for u, p in rows]


def build_demo(session: Session, estate: Estate) -> None:
    """Catalogue, orders and an agreement for ``estate`` (skipped where no demo staff works)."""
    who = {p: _staff(session, estate, f"convenience.{p}") for p in (
        "manage_catalogue", "propose_catalogue", "approve_catalogue", "order", "dispatch", "deliver", "confirm",
        "statements", "return_visit")}
    if any(v is None for v in who.values()):
        return
    items = {}
    for code, name, name_zh, cat, kind, unit, price, pkind, pfen, provider, hours in CATALOGUE:
        items[code] = services.create_item(session, who["manage_catalogue"], {
            "estate_id": estate.id, "code": code, "name": name, "name_zh": name_zh, "category": cat,
            "fee_kind": kind, "unit_of_charge": unit, "price_fen": price, "prepay_kind": pkind, "prepay_fen": pfen,
            "target_hours": hours, "for_shops": cat not in ("house_sitting", "plant_care"),
            **_provider(session, estate, provider)})
    version = services.create_version(session, who["manage_catalogue"], estate)
    services.propose_version(session, who["propose_catalogue"], version,
                             survey_summary="发放便民服务调查表 150 份，收回 126 份；住户最需要家电维修、室内清洁、洗衣和钟点工。",
                             survey_respondents=126)
    services.approve_version(session, who["approve_catalogue"], version)
    services.publish_version(session, who["manage_catalogue"], version, published_via="小区宣传栏、住户信箱")
    owners = _customers(session, estate, RelationKind.owner, 12)
    tenants = _customers(session, estate, RelationKind.tenant, 2)
    if len(owners) < 10:
        return
    staff = who["deliver"]

    def book(i: int, code: str, quantity: str = "1", mode: str = "per_job", pool=owners):
        unit, party = pool[i % len(pool)]
        return services.create_order(session, who["order"], {
            "unit_id": unit.id, "customer_id": party, "item_id": items[code].id, "quantity": quantity,
            "billing_mode": mode, "channel": "phone" if i % 2 else "visit"})

    def through(order, last: str):
        steps = ["dispatch", "deliver", "confirm", "charge", "return_visit", "close"]
        for step in steps[:steps.index(last) + 1]:
            if step == "dispatch":
                services.dispatch(session, who["dispatch"], order, staff_id=staff.id)
            elif step == "deliver":
                services.deliver(session, staff, order, service_record="已按要求完成")
            elif step == "confirm":
                services.confirm(session, staff, order, confirmed_by=order.customer.name, method="signature")
            elif step == "charge":
                services.charge(session, who["statements"], order)
            elif step == "return_visit":
                services.return_visit(session, who["return_visit"], order, satisfaction=5, comment="住户满意")
            elif step == "close":
                services.close(session, who["return_visit"], order)
        return order

    book(0, "P-DRAIN")  # registered
    through(book(1, "P-SOCKET"), "dispatch")
    through(book(2, "P-CLEAN", "3"), "deliver")
    through(book(3, "P-AC-CLEAN"), "confirm")
    through(book(4, "P-PEST"), "charge")
    through(book(5, "P-TYPING", "12"), "return_visit")
    through(book(6, "F-TV"), "close")
    through(book(7, "P-HOURLY", "4", mode="monthly"), "charge")
    services.cancel(session, who["order"], book(8, "P-CARWASH"), reason="住户临时外出，取消预约")
    lock = book(9, "P-LOCK")
    services.take_prepayment(session, who["order"], lock, method="wechat")  # prepaid
    if tenants:
        services.take_prepayment(session, who["order"], book(0, "P-LAUNDRY", "6", pool=tenants), method="cash")
    unit, party = owners[10 % len(owners)]
    services.create_agreement(session, who["order"], {
        "unit_id": unit.id, "customer_id": party, "item_id": items["P-PLANT"].id, "frequency": "weekly",
        "start_on": version.published_at.date().replace(day=1).isoformat(), "signed_by_name": "本人签名"})
    session.flush()
