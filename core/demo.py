"""Demo data for ``wuye demo``: two estates, buildings, a few hundred units each, owners, tenants,
one staff login per role, and a morning at the reception desk (calls and visits, an incident, a
repair team). Deterministic (seeded), so screenshots and docs stay stable."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import utcnow
from core.context import as_system
from core.errors import ValidationError
from core.intake import answer_intake, incident_from_intake, merge_into_incident, register_intake
from core.models import (
    Building,
    Department,
    Estate,
    Party,
    PartyKind,
    RelationKind,
    Role,
    StaffUser,
    Unit,
    UnitRelation,
    UnitStatus,
)
from core.models.assignment import DispatchMode, DispatchRule, Team, TeamMember
from core.models.org import staff_roles
from core.notifications import Audience, send_notification
from core.security.passwords import hash_password

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国志文辉鹏飞鑫宇浩然子涵欣怡雨轩"

DEMO_ESTATES = (
    {"code": "CH", "name": "翠湖花园", "kind": "residential", "address": "南京市鼓楼区翠湖路 88 号",
     "management_office": "翠湖花园管理处", "office_phone": "025-8000 1001", "buildings": 6, "floors": 18,
     "entrances": 2, "per_floor": 2},
    {"code": "JX", "name": "锦绣大厦", "kind": "office", "address": "南京市建邺区江东中路 168 号",
     "management_office": "锦绣大厦物业服务中心", "office_phone": "025-8000 2002", "buildings": 2, "floors": 24,
     "entrances": 1, "per_floor": 6},
)

DEPARTMENTS = (("cs", "客户服务中心"), ("eng", "工程部"), ("sec", "保安部"), ("env", "环境部"), ("fin", "财务组"))


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _id_number(rng: random.Random) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 50))
    return f"3201{rng.randrange(10, 99)}{born:%Y%m%d}{rng.randrange(100, 999)}{rng.choice('0123456789X')}"


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(0, 10)}{rng.randrange(10000000, 99999999)}"


def build_estate(session: Session, spec: dict, rng: random.Random) -> Estate:
    estate = Estate(code=spec["code"], name=spec["name"], kind=spec["kind"], address=spec["address"],
                    management_office=spec["management_office"], office_phone=spec["office_phone"])
    session.add(estate)
    session.flush()
    for code, name in DEPARTMENTS:
        session.add(Department(estate_id=estate.id, code=code, name=name))
    office = spec["kind"] == "office"
    start = dt.date(2024, 6, 1)
    units = []
    for b in range(1, spec["buildings"] + 1):
        building = Building(estate_id=estate.id, code=str(b), name=f"{b}栋" if not office else f"{'AB'[b - 1]}座",
                            floors=spec["floors"], phase="一期" if b <= spec["buildings"] // 2 + 1 else "二期")
        session.add(building)
        session.flush()
        for entrance in range(1, spec["entrances"] + 1):
            for floor in range(1, spec["floors"] + 1):
                for pos in range(1, spec["per_floor"] + 1):
                    if office:
                        kind = "office"
                        area = Decimal(rng.choice((86, 120, 168, 240)))
                    else:
                        kind = "shop" if floor == 1 and entrance == 1 and b <= 2 else "residential"
                        area = Decimal(rng.choice((89, 96, 118, 126, 143))) + Decimal(rng.randrange(0, 100)) / 100
                    status = rng.choices(
                        [UnitStatus.occupied, UnitStatus.rented, UnitStatus.vacant, UnitStatus.renovating,
                         UnitStatus.delivered, UnitStatus.not_delivered], weights=[55, 15, 10, 5, 10, 5])[0]
                    delivered_on = None if status == UnitStatus.not_delivered else start + dt.timedelta(
                        days=rng.randrange(0, 120))
                    units.append(Unit(estate_id=estate.id, building_id=building.id,
                                      entrance=str(entrance) if spec["entrances"] > 1 else "", floor=floor,
                                      room_no=f"{floor}{pos:02d}", unit_type=kind, built_area=area,
                                      interior_area=(area * Decimal("0.8")).quantize(Decimal("0.01")),
                                      status=status, delivered_on=delivered_on))
    session.add_all(units)
    session.flush()
    for unit in units:
        if unit.status == UnitStatus.not_delivered:
            continue
        owner = Party(kind=PartyKind.company if office and rng.random() < 0.5 else PartyKind.person,
                      name=_name(rng) if not office else f"{_name(rng)}商贸有限公司", id_number=_id_number(rng),
                      phone=_phone(rng))
        # Relations name their party as an object, so the ~1,000 people are inserted by one flush below
        # (a flush per person was most of this function's time); rows and ids come out in the same order.
        session.add(owner)
        session.add(UnitRelation(unit_id=unit.id, party=owner, kind=RelationKind.owner, start_on=unit.delivered_on))
        if unit.status == UnitStatus.occupied and rng.random() < 0.4:
            member = Party(name=_name(rng), id_number=_id_number(rng), phone=_phone(rng))
            session.add(member)
            session.add(UnitRelation(unit_id=unit.id, party=member, kind=RelationKind.household_member,
                                     relation_to_owner=rng.choice(("配偶", "子女", "父母")), start_on=unit.delivered_on))
        if unit.status == UnitStatus.rented:
            tenant = Party(name=_name(rng), id_number=_id_number(rng), phone=_phone(rng))
            session.add(tenant)
            session.add(UnitRelation(unit_id=unit.id, party=tenant, kind=RelationKind.tenant,
                                     start_on=unit.delivered_on + dt.timedelta(days=60)))
    session.flush()
    return estate


def demo_logins(registry) -> list[tuple[str, str, str]]:
    """(username, password, role) for every demo login: admin/admin plus one per role."""
    logins = [("admin", "admin", "general_manager")]
    logins += [(role, "demo1234", role) for role in registry.roles if role != "general_manager"]
    return logins


def create_demo_logins(session: Session, registry, estate_code: str) -> list[StaffUser]:
    """The logins of :func:`demo_logins`: ``admin`` for every estate, the others for ``estate_code``.

    Made as ``core.services.staff.create_staff`` makes a login, except for the hashing: full-strength
    argon2 takes ~0.2 s a hash (more on a busy machine) and the demo has ~37 logins, so each distinct
    demo password is hashed once, at full strength, and every login with that password gets the same
    hash string. An argon2 hash embeds its salt, so those accounts share a salt: acceptable for demo
    data only, whose passwords are printed on the console anyway. Real logins (``wuye users create``,
    the admin screens) go through create_staff, which hashes each password with a salt of its own.
    """
    logins = demo_logins(registry)
    roles = {r.name: r for r in session.scalars(select(Role).where(Role.name.in_([r for _u, _p, r in logins])))}
    missing = sorted({r for _u, _p, r in logins} - set(roles))
    if missing:
        raise ValidationError(f"unknown role(s) {', '.join(missing)}; seed the roles first (core.seed.seed_all)",
                              field="role")
    estates = list(session.scalars(select(Estate).where(Estate.code == estate_code)))
    hashes: dict[str, str] = {}
    users = []
    for username, password, role in logins:
        if password not in hashes:
            hashes[password] = hash_password(password)
        admin = username == "admin"
        users.append(StaffUser(username=username, full_name=username if admin else registry.roles[role].label_zh,
                               employee_no="", password_hash=hashes[password], roles=[roles[role]],
                               estates=[] if admin else estates))
        session.add(users[-1])
        session.flush()  # one login at a time, as create_staff does (each gets its own activity entry)
    return users


def build_demo(wuye, session: Session, *, seed: int = 2026) -> dict:
    """Create the demo estates, people and logins, then let each plugin add its demo data."""
    rng = random.Random(seed)
    estates = [build_estate(session, spec, rng) for spec in DEMO_ESTATES]
    codes = [e.code for e in estates]
    create_demo_logins(session, wuye.registry, codes[0])
    for estate in estates:
        build_front_door_demo(session, estate)  # the reception desk first: plugins may route its records
        wuye.hook.wuye_demo_data(session=session, estate=estate)
    session.flush()
    return {"estates": codes}


# --- the front door (issue 17): the reception desk's morning, a team to dispatch repairs to -------------
# (category, channel, summary, content) of the calls and visits of a morning at the desk
CALLS = [
    ("inquiry", "phone", "物业费缴费方式", "业主询问物业费能否用微信支付，以及发票如何开具。"),
    ("repair", "phone", "厨房水龙头漏水", "厨房水龙头关不严，一直滴水，希望今天下午上门。"),
    ("complaint", "walk_in", "楼上装修噪音", "楼上周末早上七点就开始电钻施工，影响休息。"),
    ("help", "phone", "老人忘带钥匙", "家中老人外出忘带钥匙，被锁在门外，请求协助。"),
    ("suggestion", "wechat", "建议增设快递柜", "小区东门人流大，建议增设一组智能快递柜。"),
    ("praise", "walk_in", "表扬保安", "夜班保安帮忙把受伤的老人送回家，特来表扬。"),
]
WATER_CUT = "1栋停水"


def _staff_with_role(session: Session, estate: Estate, role: str) -> list[StaffUser]:
    users = session.scalars(select(StaffUser).join(staff_roles, staff_roles.c.staff_id == StaffUser.id)
                            .join(Role, Role.id == staff_roles.c.role_id).where(Role.name == role))
    return [u for u in users if u.all_estates or estate.id in {e.id for e in u.estates}]


def build_front_door_demo(session: Session, estate: Estate, *, now: dt.datetime | None = None) -> dict:
    """Teams, a dispatch rule, reception records and an incident for ``estate``. Returns what it made."""
    now = now or utcnow()
    made: dict = {"intakes": [], "incident": None, "team": None}
    with as_system(session):
        technicians = _staff_with_role(session, estate, "technician") + _staff_with_role(session, estate, "engineer")
        supervisor = next(iter(_staff_with_role(session, estate, "engineering_supervisor")), None)
        team = Team(estate_id=estate.id, name="维修班", kind="engineering", supervisor_id=getattr(supervisor, "id", None))
        session.add(team)
        session.flush()
        for position, user in enumerate(technicians):
            session.add(TeamMember(team_id=team.id, staff_id=user.id, position=position))
        # repairs are offered to the team to grab (抢单); a company changes this in 派工规则
        session.add(DispatchRule(estate_id=estate.id, category="repairs", mode=DispatchMode.grab, team_id=team.id))
        made["team"] = team
        units = list(session.scalars(select(Unit).where(Unit.estate_id == estate.id).order_by(Unit.id).limit(40)))
        owners = list(session.scalars(select(UnitRelation).where(UnitRelation.unit_id.in_([u.id for u in units]))
                                      .order_by(UnitRelation.id)))
        by_unit = {}
        for rel in owners:
            by_unit.setdefault(rel.unit_id, rel.party_id)
        for i, (category, channel, summary, content) in enumerate(CALLS):
            unit = units[i % len(units)]
            made["intakes"].append(register_intake(
                session, None, unit_id=unit.id, party_id=by_unit.get(unit.id), channel=channel, category=category,
                summary=summary, content=content, received_at=now - dt.timedelta(minutes=90 - 12 * i), now=now))
        answer_intake(session, made["intakes"][0], None, "可通过微信、支付宝或前台刷卡缴纳；电子发票在缴费后三个工作日内发送到预留邮箱。",
                      now=now)
        # one water cut, reported from four units of building 1 (and a stranger who left only a phone)
        reports = []
        for j, unit in enumerate(units[10:14]):
            reports.append(register_intake(session, None, unit_id=unit.id, party_id=by_unit.get(unit.id),
                                           category="repair", summary=WATER_CUT, content="家里没有水了。",
                                           received_at=now - dt.timedelta(minutes=40 - 5 * j), now=now))
        reports.append(register_intake(session, None, estate_id=estate.id, caller_name="路过的住户",
                                       caller_phone="13700001111", category="repair", summary=WATER_CUT,
                                       received_at=now - dt.timedelta(minutes=15), now=now))
        incident = incident_from_intake(session, None, reports[0], "1栋停水（主管爆裂）", now=now)
        merge_into_incident(session, None, incident, reports[1:])
        made["incident"] = incident
        managers = _staff_with_role(session, estate, "office_manager")
        if managers:
            send_notification(session, "core.message", Audience(staff_ids=tuple(u.id for u in managers)),
                              context={"subject": "今日停水", "body": "1栋主管爆裂，工程部正在抢修，预计18:00恢复供水。"},
                              estate_id=estate.id)
        session.flush()
    return made

