"""Collection rate per collector's zone and per fee category, against targets (收缴率考核).

A collector's zone (片区) is the set of buildings assigned to them (:class:`CollectionZone`, one
collector per building). :func:`zone_collection_rate` reports, for a billing period, each collector's
billed and collected amounts on their zone's lines, per fee category and in total, against the
target ``collection_target_percent`` of ``[plugins.billing]`` (95 by default: "收缴率≥95%" per
person, 001 L215/L231). Collected means allocated to the period's lines by payments received up to
``as_of``, whoever took the money: the zone's collector answers for the zone. Buildings of no zone
are reported under collector None (未分配).

API: ``GET /api/v1/billing/collection-zones/report?estate_id=&period=YYYY-MM[&as_of=YYYY-MM-DD]``;
``POST /api/v1/billing/collection-zones`` ``{"building_id", "collector_id"}`` assigns a building.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from marshmallow import RAISE, Schema, fields
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import Text, ValidationError, authorize, get_scoped, label_fields, utcnow
from core.models import Building, Estate, StaffUser, Unit
from plugins.billing import periods as P
from plugins.billing.arrears import _paid_as_of, _rate
from plugins.billing.models import CATEGORIES, ChargeLine, CollectionZone, FeeItem
from plugins.billing.settings import billing_settings


def assign_zone(session: Session, actor, *, building: Building, collector: StaffUser) -> CollectionZone:
    """Put ``building`` in ``collector``'s zone (moving it from another collector's); needs ``billing.run``."""
    authorize(session, actor, "billing.run", building)
    if not isinstance(building, Building):
        raise ValidationError(Text("choose a building", "请选择楼栋"), field="building_id")
    if not isinstance(collector, StaffUser) or not collector.active:
        raise ValidationError(Text("choose an active staff member as the collector", "请选择在职员工作为收费责任人"),
                              field="collector_id")
    zone = session.scalar(select(CollectionZone).where(CollectionZone.building_id == building.id))
    if zone is None:
        zone = CollectionZone(estate_id=building.estate_id, building_id=building.id, collector_id=collector.id,
                              created_at=utcnow())
        session.add(zone)
    else:
        zone.collector_id = collector.id
    session.flush()
    return zone


def zone_collection_rate(session: Session, estate: Estate, period: str, *, as_of: dt.date | None = None,
                         target: int | None = None) -> list[dict]:
    """Rows ``{"collector_id", "collector", "category" (None: all), "category_zh", "billed_fen",
    "paid_fen", "rate", "target", "met"}``: per collector, one row per fee category then the total."""
    P.parse_period(period)
    target = billing_settings(session)["collection_target_percent"] if target is None else target
    paid = _paid_as_of(as_of)
    stmt = (
        select(CollectionZone.collector_id, FeeItem.category, func.sum(ChargeLine.amount_fen), func.sum(paid))
        .select_from(ChargeLine)
        .join(Unit, Unit.id == ChargeLine.unit_id)
        .join(FeeItem, FeeItem.id == ChargeLine.fee_item_id)
        .outerjoin(CollectionZone, CollectionZone.building_id == Unit.building_id)
        .where(ChargeLine.estate_id == estate.id, ChargeLine.period == period, ChargeLine.origin != "reversal",
               ChargeLine.reversed_at.is_(None))
        .group_by(CollectionZone.collector_id, FeeItem.category)
    )
    per: dict = {}
    for cid, category, billed, got in session.execute(stmt):
        per.setdefault(cid, {})[category] = (int(billed), int(got))
    names = {u.id: str(u) for u in session.scalars(select(StaffUser).where(StaffUser.id.in_(
        [c for c in per if c is not None])))}
    rank = {c: i for i, c in enumerate(CATEGORIES)}
    out = []
    for cid in sorted(per, key=lambda c: (c is None, names.get(c, ""), c or 0)):
        label = names.get(cid, str(cid)) if cid is not None else "未分配"
        cats = per[cid]
        rows = [(c, *cats[c]) for c in sorted(cats, key=lambda c: (rank.get(c, 99), c))]
        rows.append((None, sum(b for _c, b, _p in rows), sum(p for _c, _b, p in rows)))
        for category, billed, got in rows:
            rate = _rate(got, billed)
            out.append({
                "collector_id": cid, "collector": label, "category": category,
                "category_zh": CATEGORIES.get(category, "合计") if category else "合计",
                "billed_fen": billed, "paid_fen": got, "rate": rate, "target": target,
                "met": rate >= Decimal(target),
            })
    return out


# --- screen and API ----------------------------------------------------------------------------


class CollectionZoneSchema(Schema):
    """A building assigned to a collector (the 收费片区 screen's form)."""

    class Meta:
        unknown = RAISE

    id = fields.Integer(dump_only=True)
    building_id = fields.Integer(required=True)
    collector_id = fields.Integer(required=True)


label_fields({"__name__": __name__, "CollectionZoneSchema": CollectionZoneSchema},
             {"id": ("Record no.", "记录号"), "building_id": ("Building", "楼栋"),
              "collector_id": ("Collector", "收费责任人")})


def assign_zone_action(session: Session, actor, data: dict) -> CollectionZone:
    """The screen's create service: assign ``building_id`` to ``collector_id``."""
    building = get_scoped(session, actor, Building, data["building_id"])
    return assign_zone(session, actor, building=building, collector=session.get(StaffUser, data["collector_id"]))


def admin_view():
    """The 收费片区 screen (listed in ``admin_views``)."""
    from core import AdminViewSpec

    return AdminViewSpec(
        model=CollectionZone,
        schema=CollectionZoneSchema,
        name="billing_collection_zones",
        label="Collection zones",
        label_zh="收费片区",
        view_permission="billing.view",
        edit_permission="billing.run",
        list_columns=("building", "collector", "created_at"),
        lookups={"building_id": "building", "collector_id": "collector"},
        column_labels={"building": ("Building", "楼栋"), "collector": ("Collector", "收费责任人"),
                       "created_at": ("Assigned at", "分配时间")},
        can_edit=False,
        order=95,
        create_service=assign_zone_action,
    )


def _rows_json(rows: list[dict]) -> list[dict]:
    return [{**r, "rate": str(r["rate"])} for r in rows]


def _report():
    from flask import jsonify, request

    from core import PermissionDenied, has_permission
    from core import request_actor as _actor
    from core import request_session as _session

    session, actor = _session(), _actor()
    if actor is None or not has_permission(session, actor, "billing.reports"):
        raise PermissionDenied("needs permission billing.reports")
    try:
        estate_id = int(request.args.get("estate_id", ""))
    except ValueError:
        raise ValidationError(Text("give estate_id", "请提供 estate_id"), field="estate_id") from None
    estate = get_scoped(session, actor, Estate, estate_id)
    as_of = request.args.get("as_of")
    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise ValidationError(Text("as_of: write the day as YYYY-MM-DD", "as_of：日期格式为 YYYY-MM-DD"),
                              field="as_of") from None
    period = request.args.get("period", "")
    return jsonify({"estate_id": estate.id, "period": period, "as_of": as_of,
                    "rows": _rows_json(zone_collection_rate(session, estate, period, as_of=day))})


def _assign():
    from flask import jsonify, request

    from core import request_actor as _actor
    from core import request_session as _session

    session, actor = _session(), _actor()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError(Text("send a JSON object", "请发送 JSON 对象"))
    ids = {}
    for key in ("building_id", "collector_id"):
        if not isinstance(data.get(key), int) or isinstance(data.get(key), bool):
            raise ValidationError(Text(f"{key}: give the record's id (a number)", f"{key}：请填写记录编号（数字）"),
                                  field=key)
        ids[key] = data[key]
    zone = assign_zone_action(session, actor, ids)
    return jsonify({"id": zone.id, "estate_id": zone.estate_id, "building_id": zone.building_id,
                    "collector_id": zone.collector_id}), 201


def zones_blueprint():
    """The API routes above (listed in ``api_resources``)."""
    from flask import Blueprint

    bp = Blueprint("billing_zones_api", __name__)
    bp.add_url_rule("/billing/collection-zones/report", "zone_report", _report, methods=["GET"])
    bp.add_url_rule("/billing/collection-zones", "assign_zone", _assign, methods=["POST"])
    return bp
