"""Meters on screen and through the API: the meter register (表计档案), reading sheets per building and
period (抄表单) and the apportionment of a common meter (公摊分摊).

Every reading of a sheet goes through :func:`plugins.billing.meters.record_reading`, so each check of a
single reading applies (the dial's capacity, readings going forward, below the previous one...). A
sheet is saved in one go: when any reading is refused, the answer lists every refused one, naming its
meter and field, and nothing of the sheet is written. Apportionment calls
:func:`plugins.billing.meters.apportion` (one common meter's reading of a period, shared by built area).

API (docs/plugins/billing.md, "Meters"):

* ``/api/v1/billing/meters``: list and register meters (``MeterSchema``);
* ``GET /api/v1/billing/meters/readings/sheet?building_id=&period=``: the sheet, one row per meter;
* ``POST /api/v1/billing/meters/readings/batch`` (``ReadingSheetSchema``) → 201 with the readings;
* ``POST /api/v1/billing/meters/<id>/apportion`` (``ApportionSchema``) → 200 with the shares
  (``"post": false`` previews them and writes nothing).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from flask import Blueprint, jsonify, redirect, request, url_for
from flask_admin import expose
from marshmallow import RAISE, Schema, fields, validate
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from core import (
    AdminViewSpec,
    ApiResourceSpec,
    Conflict,
    NotFound,
    Text,
    ValidationError,
    WuyeError,
    authorize,
    estate_today,
    get_scoped,
    has_permission,
    label_fields,
    load,
    request_actor,
    request_session,
    scoped_select,
    visible_estate_ids,
)
from core.models import Building, Estate, Unit
from plugins.billing import periods as P
from plugins.billing.meters import apportion, create_meter, record_reading
from plugins.billing.models import FeeItem, Meter, MeterReading
from plugins.billing.schemas import Period, Quantity

TEMPLATES = Path(__file__).resolve().parent / "templates"

# --- schemas -------------------------------------------------------------------------------------


class MeterSchema(Schema):
    """A meter: a unit's own (``unit_id``) or a common meter (no unit; ``building_id`` limits its 公摊)."""

    class Meta:
        unknown = RAISE

    id = fields.Integer(dump_only=True)
    estate_id = fields.Integer(load_default=None, allow_none=True)
    code = fields.String(required=True, validate=validate.Length(1, 48))
    unit_id = fields.Integer(load_default=None, allow_none=True)
    building_id = fields.Integer(load_default=None, allow_none=True)
    fee_item_id = fields.Integer(required=True)
    serial_no = fields.String(load_default="", validate=validate.Length(max=64))
    initial_reading = Quantity(load_default=Decimal("0"))
    max_value = Quantity(load_default=None, allow_none=True)
    active = fields.Boolean(dump_only=True)


class SheetEntrySchema(Schema):
    """One line of a reading sheet: the meter and what its dial shows."""

    class Meta:
        unknown = RAISE

    meter_id = fields.Integer(required=True)
    value = Quantity(required=True)
    rollover = fields.Boolean(load_default=False)
    note = fields.String(load_default="", validate=validate.Length(max=400))


class ReadingSheetSchema(Schema):
    """A building's readings of one period, saved together (抄表单)."""

    class Meta:
        unknown = RAISE

    building_id = fields.Integer(required=True)
    period = Period(required=True)
    read_on = fields.Date(load_default=None, allow_none=True)
    readings = fields.List(fields.Nested(SheetEntrySchema), required=True,
                           validate=validate.Length(min=1, max=2000,
                                                    error=Text("readings: enter at least one reading (at most 2000)",
                                                               "readings：请至少填写一个读数（最多 2000 个）")))


class ApportionSchema(Schema):
    """Apportion a common meter's reading of a period (公摊); ``post`` false only previews the shares."""

    class Meta:
        unknown = RAISE

    period = Period(required=True)
    fee_item_code = fields.String(load_default="shared_utilities", validate=validate.Length(1, 48))
    post = fields.Boolean(load_default=True)


_LABELS = {
    "id": ("Record no.", "记录号"), "estate_id": ("Estate", "小区"), "code": ("Meter no.", "表号"),
    "unit_id": ("Unit (unit meter)", "房屋（分户表）"), "building_id": ("Building (common meter)", "楼栋（公共表）"),
    "fee_item_id": ("Fee item", "收费项目"), "serial_no": ("Serial no.", "出厂编号"),
    "initial_reading": ("Initial reading", "起始读数"), "max_value": ("Dial capacity", "表盘量程（满量程归零）"),
    "active": ("In use", "在用"), "meter_id": ("Meter", "表计"), "value": ("Reading", "本期读数"),
    "rollover": ("Meter rolled over", "表计翻转"), "note": ("Note", "备注"), "period": ("Period", "账期"),
    "read_on": ("Read on", "抄表日期"), "readings": ("Readings", "读数"),
    "fee_item_code": ("Fee item of the shares", "分摊收费项目"), "post": ("Post the charges", "生成应收"),
}
label_fields({"__name__": __name__, "MeterSchema": MeterSchema, "SheetEntrySchema": SheetEntrySchema,
              "ReadingSheetSchema": ReadingSheetSchema, "ApportionSchema": ApportionSchema}, _LABELS)


# --- services ------------------------------------------------------------------------------------


def _scoped(session: Session, actor, model, ident, field: str):
    """The record ``ident`` names if the actor may see it; NotFound naming the input field otherwise."""
    try:
        return get_scoped(session, actor, model, ident)
    except NotFound:
        raise NotFound(Text(f"{field}: no such record #{ident}", f"{field}：找不到所选记录（#{ident}）"),
                       field=field) from None


def register_meter(session: Session, actor, data: dict) -> Meter:
    """The screen's and the API's create service: a unit meter or a common meter (表计档案)."""
    authorize(session, actor, "billing.read_meters")
    unit = _scoped(session, actor, Unit, data["unit_id"], "unit_id") if data.get("unit_id") else None
    building = (_scoped(session, actor, Building, data["building_id"], "building_id")
                if data.get("building_id") else None)
    if unit is not None and building is not None:
        raise ValidationError(Text("building_id: a unit meter belongs to its unit; give a building only for a "
                                   "common meter (no unit)",
                                   "building_id：分户表属于其房屋，只有公共表（不选房屋）才选择楼栋"), field="building_id")
    if unit is not None:
        estate_id = unit.estate_id
    elif building is not None:
        estate_id = building.estate_id
    elif data.get("estate_id"):
        estate_id = _scoped(session, actor, Estate, data["estate_id"], "estate_id").id
    else:
        raise ValidationError(Text("estate_id: a common meter of the whole estate needs its estate (or choose a "
                                   "unit or a building)", "estate_id：全小区的公共表须选择小区（或选择房屋、楼栋）"),
                              field="estate_id")
    if data.get("estate_id") and data["estate_id"] != estate_id:
        raise ValidationError(Text("estate_id: the unit or building is in another estate",
                                   "estate_id：所选房屋或楼栋不属于该小区"), field="estate_id")
    authorize(session, actor, "billing.read_meters", estate_id)
    item = _scoped(session, actor, FeeItem, data["fee_item_id"], "fee_item_id")
    code = data["code"].strip()
    if session.scalar(select(Meter.id).where(Meter.estate_id == estate_id, Meter.code == code)) is not None:
        raise Conflict(Text(f"code: meter {code} is already registered in this estate; meter numbers are unique "
                            "per estate", f"code：本小区已登记表号 {code}，表号在小区内不能重复"), field="code")
    return create_meter(session, actor, estate=session.get(Estate, estate_id), code=code, fee_item_code=item.code,
                        unit=unit, building=building, initial_reading=data.get("initial_reading", "0"),
                        max_value=data.get("max_value"), serial_no=data.get("serial_no", ""))


def sheet_meters(session: Session, building: Building) -> list[Meter]:
    """The building's meters in use: its units' meters by room, then its common meters."""
    stmt = (select(Meter).outerjoin(Unit, Unit.id == Meter.unit_id)
            .where(Meter.estate_id == building.estate_id, Meter.active.is_(True),
                   or_(Unit.building_id == building.id, and_(Meter.unit_id.is_(None), Meter.building_id == building.id)))
            .order_by(Meter.unit_id.is_(None), Unit.floor, Unit.room_no, Meter.code))
    return list(session.scalars(stmt))


def reading_sheet(session: Session, actor, building: Building, period: str) -> list[dict]:
    """One row per meter of the building: ``meter``, ``unit``, ``last`` (the latest reading before the
    period, or None), ``previous_value`` (what usage is counted from) and ``current`` (the period's reading
    if already recorded)."""
    # meter readers (engineers among them) read the sheet without seeing the rest of billing
    readers = actor is not None and has_permission(session, actor, "billing.read_meters")
    authorize(session, actor, "billing.read_meters" if readers else "billing.view", building)
    P.parse_period(period)
    meters = sheet_meters(session, building)
    ids = [m.id for m in meters]
    current, last = {}, {}
    if ids:
        current = {r.meter_id: r for r in session.scalars(
            select(MeterReading).where(MeterReading.meter_id.in_(ids), MeterReading.period == period))}
        latest = (select(MeterReading.meter_id, func.max(MeterReading.period).label("period"))
                  .where(MeterReading.meter_id.in_(ids), MeterReading.period < period)
                  .group_by(MeterReading.meter_id).subquery())
        last = {r.meter_id: r for r in session.scalars(select(MeterReading).join(latest, and_(
            latest.c.meter_id == MeterReading.meter_id, latest.c.period == MeterReading.period)))}
    rows = []
    for m in meters:
        before = last.get(m.id)
        rows.append({"meter": m, "unit": m.unit, "last": before, "current": current.get(m.id),
                     "previous_value": before.value if before is not None else m.initial_reading})
    return rows


def _in_meter(code: str, message) -> Text:
    en, zh = getattr(message, "en", str(message)), getattr(message, "zh", str(message))
    return Text(f"meter {code}: {en}", f"表计 {code}：{zh}")


def save_sheet(session: Session, actor, data: dict) -> list[MeterReading]:
    """Record a sheet's readings (``ReadingSheetSchema`` data), all or none.

    Each reading goes through ``record_reading``. Refused readings are collected, each under
    ``readings.<n>.<field>`` with a message naming the meter; then nothing of the sheet is kept.
    """
    authorize(session, actor, "billing.read_meters")
    building = _scoped(session, actor, Building, data["building_id"], "building_id")
    authorize(session, actor, "billing.read_meters", building)
    period = data["period"]
    P.parse_period(period)
    on_sheet = {m.id: m for m in sheet_meters(session, building)}
    read_on = data.get("read_on") or estate_today(session, building.estate_id)
    errors: dict[str, list] = {}
    readings = []
    savepoint = session.begin_nested()  # the sheet is one unit: a refused reading undoes the others
    for n, entry in enumerate(data["readings"]):
        meter = on_sheet.get(entry["meter_id"])
        if meter is None:
            errors[f"readings.{n}.meter_id"] = [Text(
                f"meter #{entry['meter_id']} is not a meter in use of building {building.code}",
                f"表计 #{entry['meter_id']} 不是 {building.name or building.code} 的在用表计")]
            continue
        try:
            readings.append(record_reading(session, actor, meter, period=period, value=entry["value"],
                                           read_on=read_on, rollover=entry.get("rollover", False),
                                           note=entry.get("note", "")))
        except ValidationError as exc:
            for field, messages in exc.errors.items():
                messages = messages if isinstance(messages, list) else [messages]
                errors.setdefault(f"readings.{n}.{field}", []).extend(_in_meter(meter.code, m) for m in messages)
        except (Conflict, NotFound) as exc:  # e.g. the period was already read
            errors.setdefault(f"readings.{n}.{exc.field or 'value'}", []).append(_in_meter(meter.code, exc.message))
    if errors:
        savepoint.rollback()
        raise ValidationError(errors)
    savepoint.commit()
    return readings


def apportion_meter(session: Session, actor, meter_id: int, data: dict) -> dict:
    """Apportion common meter ``meter_id``'s reading of ``data["period"]`` (``ApportionSchema`` data).

    Returns ``apportion``'s result plus ``meter`` and ``reading``; refuses a unit meter or a period
    without a reading, naming the field.
    """
    meter = _scoped(session, actor, Meter, meter_id, "meter_id")
    if meter.unit_id is not None:
        raise ValidationError(Text(f"meter_id: meter {meter.code} is a unit meter; only common meters are "
                                   "apportioned", f"meter_id：表计 {meter.code} 是分户表，只有公共表参与公摊"),
                              field="meter_id")
    reading = session.scalar(select(MeterReading).where(MeterReading.meter_id == meter.id,
                                                        MeterReading.period == data["period"]))
    if reading is None:
        raise ValidationError(Text(f"period: meter {meter.code} has no reading for {data['period']}; record it on "
                                   "the reading sheet first",
                                   f"period：表计 {meter.code} 没有 {data['period']} 的读数，请先在抄表单录入"),
                              field="period")
    result = apportion(session, actor, reading, fee_item_code=data.get("fee_item_code", "shared_utilities"),
                       post=data.get("post", True))
    return {**result, "meter": meter, "reading": reading}


def apportion_json(session: Session, done: dict, posted: bool) -> dict:
    """The apportionment as the API returns it: shares per unit with the unit's label and area."""
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(list(done["parts"]))))}
    reading = done["reading"]
    return {"meter_id": done["meter"].id, "period": reading.period, "reading_id": reading.id,
            "usage": _q(reading.usage), "total_fen": done["total_fen"],
            "developer_fen": done.get("developer_fen", 0), "posted": posted,
            "lines_created": done["lines_created"],
            "parts": [{"unit_id": uid, "label": units[uid].label, "built_area": str(units[uid].built_area),
                       "amount_fen": fen} for uid, fen in sorted(done["parts"].items())]}


# --- API -----------------------------------------------------------------------------------------


def _q(value) -> str | None:
    """A quantity as the database gives it back, two decimals ("5" just entered reads "5.00")."""
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def _reading_json(r: MeterReading) -> dict:
    return {"id": r.id, "meter_id": r.meter_id, "period": r.period, "read_on": r.read_on.isoformat(),
            "previous_value": _q(r.previous_value), "value": _q(r.value), "usage": _q(r.usage),
            "rollover": r.rollover, "read_by_id": r.read_by_id}


def _api_sheet():
    session, actor = request_session(), request_actor()
    raw = request.args.get("building_id", "")
    if not raw.isdigit():
        raise ValidationError(Text("building_id: give the building's id (a number)", "building_id：请填写楼栋编号（数字）"),
                              field="building_id")
    building = _scoped(session, actor, Building, int(raw), "building_id")
    period = request.args.get("period", "")
    rows = reading_sheet(session, actor, building, period)
    return jsonify({"building_id": building.id, "period": period, "rows": [
        {"meter_id": r["meter"].id, "code": r["meter"].code, "unit_id": r["meter"].unit_id,
         "unit_label": r["unit"].label if r["unit"] is not None else None,
         "last_period": r["last"].period if r["last"] is not None else None,
         "previous_value": _q(r["previous_value"]), "max_value": _q(r["meter"].max_value),
         "current": _reading_json(r["current"]) if r["current"] is not None else None} for r in rows]})


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError(Text("send a JSON object", "请发送 JSON 对象"))
    return data


def _api_batch():
    session, actor = request_session(), request_actor()
    data = load(ReadingSheetSchema, _body())
    readings = save_sheet(session, actor, data)
    return jsonify({"building_id": data["building_id"], "period": data["period"],
                    "readings": [_reading_json(r) for r in readings]}), 201


def _api_apportion(meter_id: int):
    session, actor = request_session(), request_actor()
    data = load(ApportionSchema, _body())
    done = apportion_meter(session, actor, meter_id, data)
    return jsonify(apportion_json(session, done, data["post"])), 200


def meters_blueprint() -> Blueprint:
    """The API routes above (listed in ``api_resources``)."""
    bp = Blueprint("billing_meters_api", __name__)
    bp.add_url_rule("/billing/meters/readings/sheet", "reading_sheet", _api_sheet, methods=["GET"])
    bp.add_url_rule("/billing/meters/readings/batch", "reading_batch", _api_batch, methods=["POST"])
    bp.add_url_rule("/billing/meters/<int:meter_id>/apportion", "apportion", _api_apportion, methods=["POST"])
    return bp


def api_resource() -> ApiResourceSpec:
    """``/api/v1/billing/meters``: list and register meters."""
    return ApiResourceSpec(model=Meter, schema=MeterSchema, path="billing/meters", view_permission="billing.view",
                           edit_permission="billing.read_meters",
                           filters=("estate_id", "unit_id", "building_id", "fee_item_id", "code", "active"),
                           can_update=False, create_service=register_meter)


# --- screens -------------------------------------------------------------------------------------


def _messages(exc: WuyeError) -> list[str]:
    """The error's messages in the user's language, one per refused field."""
    if isinstance(exc, ValidationError):
        return [str(m) for v in exc.errors.values() for m in (v if isinstance(v, list) else [v])]
    return [str(exc.message)]


def _valid_period(period: str) -> bool:
    try:
        P.parse_period(period)
    except ValidationError:
        return False
    return True


def _period_arg(session, actor, raw: str) -> str:
    """The period asked for, else this month at the actor's first estate (what a reader usually enters)."""
    if raw:
        return raw
    ids = visible_estate_ids(session, actor)
    estate_id = min(ids) if ids else session.scalar(select(func.min(Estate.id)))
    return P.period_of(estate_today(session, estate_id)) if estate_id else ""


class _Templates:
    def create_blueprint(self, admin):
        # the app's loader knows core's templates only; this screen's blueprint serves billing's own
        blueprint = super().create_blueprint(admin)
        blueprint.template_folder = str(TEMPLATES)
        return blueprint


class ReadingSheetDesk(_Templates):
    """抄表单 (``/admin/billing_meter_sheet/``): every meter of a building for a period, one input each,
    saved in one go."""

    def _page(self, *, building=None, period="", errors=(), entered=None, failed=(), status=200):
        session, actor = request_session(), request_actor()
        rows = reading_sheet(session, actor, building, period) if building is not None else []
        buildings = list(session.scalars(scoped_select(session, actor, Building)
                                         .order_by(Building.estate_id, Building.code)))
        page = self.render("billing/meter_sheet.html", buildings=buildings, building=building, period=period,
                           rows=rows, errors=list(errors), entered=entered or {}, failed=set(failed))
        return page, status

    @expose("/")
    def index_view(self):
        session, actor = request_session(), request_actor()
        period = _period_arg(session, actor, request.args.get("period", "").strip())
        raw = request.args.get("building_id", "")
        if not raw.isdigit():
            return self._page(period=period)
        try:
            building = get_scoped(session, actor, Building, int(raw))
            P.parse_period(period)
        except WuyeError as exc:
            return self._page(period=period, errors=_messages(exc), status=exc.http_status)
        return self._page(building=building, period=period)

    @expose("/save", methods=("POST",))
    def save(self):
        session, actor = request_session(), request_actor()
        form = request.form
        period = form.get("period", "").strip()
        entries, order = [], []  # order: the meter of each entry, to mark refused rows
        for key in form:
            if key.startswith("value_") and key[6:].isdigit() and form[key].strip():
                meter_id = int(key[6:])
                order.append(meter_id)
                entry = {"meter_id": meter_id, "value": form[key].strip(),
                         "rollover": form.get(f"rollover_{meter_id}") == "1"}
                if form.get(f"note_{meter_id}", "").strip():
                    entry["note"] = form[f"note_{meter_id}"].strip()
                entries.append(entry)
        building = None
        try:
            building = get_scoped(session, actor, Building, int(form.get("building_id", "0") or 0))
            body = {"building_id": building.id, "period": period, "readings": entries}
            if form.get("read_on", "").strip():
                body["read_on"] = form["read_on"].strip()
            readings = save_sheet(session, actor, load(ReadingSheetSchema, body))
        except WuyeError as exc:
            session.rollback()
            failed = set()
            if isinstance(exc, ValidationError):
                for key in exc.errors:
                    parts = key.split(".")
                    if len(parts) > 1 and parts[0] == "readings" and parts[1].isdigit() and int(parts[1]) < len(order):
                        failed.add(order[int(parts[1])])
            return self._page(building=building if _valid_period(period) else None, period=period,
                              errors=_messages(exc), entered=form, failed=failed, status=exc.http_status)
        done = str(Text(f"{len(readings)} readings saved.", f"已保存 {len(readings)} 个读数。"))
        return redirect(url_for(".index_view", building_id=building.id, period=period, done=done))


class ApportionDesk(_Templates):
    """公摊分摊 (``/admin/billing_apportion/``): a common meter and a period, the shares by built area,
    then post them."""

    def _page(self, *, meter_id=None, period="", preview=None, errors=(), status=200):
        session, actor = request_session(), request_actor()
        meters = list(session.scalars(scoped_select(session, actor, Meter).where(Meter.unit_id.is_(None))
                                      .order_by(Meter.estate_id, Meter.code)))
        page = self.render("billing/apportion.html", meters=meters, meter_id=meter_id, period=period,
                           preview=preview, errors=list(errors))
        return page, status

    @expose("/")
    def index_view(self):
        session, actor = request_session(), request_actor()
        period = _period_arg(session, actor, request.args.get("period", "").strip())
        raw = request.args.get("meter_id", "")
        if not raw.isdigit():
            return self._page(period=period)
        try:
            data = load(ApportionSchema, {"period": period, "post": False})
            preview = apportion_json(session, apportion_meter(session, actor, int(raw), data), False)
        except WuyeError as exc:
            session.rollback()
            return self._page(meter_id=int(raw), period=period, errors=_messages(exc), status=exc.http_status)
        return self._page(meter_id=int(raw), period=period, preview=preview)

    @expose("/post", methods=("POST",))
    def post(self):
        session, actor = request_session(), request_actor()
        form = request.form
        period = form.get("period", "").strip()
        raw = form.get("meter_id", "")
        meter_id = int(raw) if raw.isdigit() else 0
        try:
            data = load(ApportionSchema, {"period": period, "post": True,
                                          "fee_item_code": form.get("fee_item_code", "").strip() or "shared_utilities"})
            done = apportion_meter(session, actor, meter_id, data)
        except WuyeError as exc:
            session.rollback()
            return self._page(meter_id=meter_id or None, period=period, errors=_messages(exc),
                              status=exc.http_status)
        msg = Text(f"Apportioned ¥{done['total_fen'] / 100:,.2f}: {done['lines_created']} charge lines created.",
                   f"已分摊 ¥{done['total_fen'] / 100:,.2f}，生成 {done['lines_created']} 条应收明细。")
        return redirect(url_for(".index_view", meter_id=meter_id, period=period, done=str(msg)))


def admin_views() -> list[AdminViewSpec]:
    """表计档案, 抄表单, 公摊分摊 (listed in billing's ``admin_views``)."""
    from plugins.billing.schemas import MeterReadingSchema

    labels = {"unit": ("Unit", "房屋"), "building": ("Building", "楼栋"), "fee_item": ("Fee item", "收费项目"),
              "estate": ("Estate", "小区"), "meter": ("Meter", "表计"), "read_by": ("Read by", "抄表人"),
              "checked_by": ("Checked by", "复核人")}
    return [
        AdminViewSpec(model=Meter, schema=MeterSchema, name="billing_meters", label="Meters", label_zh="表计档案",
                      view_permission="billing.view", edit_permission="billing.read_meters",
                      list_columns=("code", "unit", "building", "fee_item", "serial_no", "initial_reading",
                                    "max_value", "active"),
                      search_fields=("code", "serial_no"), filters=("active", "fee_item_id"),
                      lookups={"unit_id": "unit", "fee_item_id": "billing_fee_items"}, column_labels=labels,
                      can_edit=False, order=48, create_service=register_meter),
        AdminViewSpec(model=MeterReading, schema=MeterReadingSchema, name="billing_meter_sheet",
                      label="Reading sheet", label_zh="抄表单", view_permission="billing.read_meters",
                      edit_permission="billing.read_meters", column_labels=labels, can_create=False,
                      can_edit=False, order=49, view_mixin=ReadingSheetDesk),
        AdminViewSpec(model=Meter, schema=MeterSchema, name="billing_apportion", label="Apportionment",
                      label_zh="公摊分摊", view_permission="billing.run", edit_permission="billing.run",
                      column_labels=labels, can_create=False, can_edit=False, order=51, view_mixin=ApportionDesk),
    ]
