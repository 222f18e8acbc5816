"""Admin screens (收费管理 menu): specs the core's generic admin layer turns into hardened views."""

from __future__ import annotations

from pathlib import Path

from flask import redirect, request, url_for
from flask_admin import expose

from core import (
    AdminViewSpec,
    ConfirmationRequired,
    NotFound,
    Text,
    ValidationError,
    WuyeError,
    fen_to_yuan,
    get_scoped,
    has_permission,
    load,
)
from core import request_actor as _actor
from core import request_session as _session
from core.models import Unit
from plugins.billing import actions, cashier, daily_close, meter_desk, zones
from plugins.billing import schemas as s
from plugins.billing.models import (
    METHODS,
    ChargeLine,
    DailyClose,
    DepositEntry,
    DunningAction,
    DunningCase,
    FeeItem,
    FeePrice,
    MeterReading,
    Payment,
)

# columns that are relations or stored amounts rather than schema fields
RELATED = {
    "estate": ("Estate", "小区"), "fee_item": ("Fee item", "收费项目"), "unit": ("Unit", "房屋"),
    "collector": ("Cashier", "收款人"), "cashier": ("Cashier", "收款人"), "meter": ("Meter", "表计"), "read_by": ("Read by", "抄表人"),
    "checked_by": ("Checked by", "复核人"), "assignee": ("Assignee", "跟进人"), "case": ("Arrears case", "欠费跟进单"),
    "staff": ("Staff", "经办人"), "created_at": ("Created at", "创建时间"), "price_cfen": ("Unit price", "单价"),
    "amount_fen": ("Amount", "金额"), "arrears_fen": ("Arrears", "欠费金额"),
}


def _message(exc: WuyeError) -> str:
    """The error in the user's language (``core.Text`` messages pick it when made a string)."""
    if isinstance(exc, ValidationError):
        return "；".join(" ".join(str(m) for m in (v if isinstance(v, list) else [v])) for v in exc.errors.values())
    return str(exc.message)


def _yuan_to_fen(raw: str | None, field: str):
    """What the cashier typed in yuan ("120.50", "1,200") as fen for the schema; blank stays None."""
    raw = (raw or "").strip()
    if not raw:
        return None
    return s.Yuan(allow_zero=False).deserialize(raw, field)


TEMPLATES = Path(__file__).resolve().parent / "templates"


class CashierDesk:
    """收银台: the desk page (``/admin/billing_cashier/``) and its corrections, mixed into a billing screen."""

    def create_blueprint(self, admin):
        # the app's loader knows core's templates only; this screen's blueprint serves billing's own
        # (``admin/master.html`` still comes from Flask-Admin through the other screens' blueprints)
        blueprint = super().create_blueprint(admin)
        blueprint.template_folder = str(TEMPLATES)
        return blueprint

    @expose("/")
    def index_view(self):
        session, actor = _session(), _actor()
        q = request.args.get("q", "").strip()
        units = cashier.search_units(session, actor, q) if q else []
        unit = None
        unit_id = request.args.get("unit_id", "")
        if unit_id.isdigit():
            try:
                unit = get_scoped(session, actor, Unit, int(unit_id))
            except NotFound:
                unit = None
        elif len(units) == 1:
            unit = units[0]
        return self._desk(q=q, units=units, unit=unit)

    @expose("/new/", methods=("GET",))
    def create_view(self):
        """The unit page's "收款" button (``Panel.action``) opens the create form: here, the desk on that unit."""
        unit_id = request.args.get("unit_id", "")
        return redirect(url_for(".index_view", unit_id=unit_id if unit_id.isdigit() else None))

    def _desk(self, *, q="", units=(), unit=None, error=None, confirm=None, form=None, status=200):
        session, actor = _session(), _actor()
        found = cashier.open_items(session, unit) if unit is not None else None
        recent = cashier.recent_payments(session, actor, unit) if unit is not None else []
        methods = [(k, v) for k, v in METHODS.items() if k != "prepaid"]
        may_reverse = has_permission(session, actor, "billing.reverse")  # 红冲 buttons only for finance
        page = self.render("billing/cashier.html", q=q, units=units, unit=unit, found=found, recent=recent,
                           error=error, confirm=confirm, entered=form or {}, methods=methods,
                           may_reverse=may_reverse)
        return page, status

    @expose("/pay", methods=("POST",))
    def pay(self):
        session, actor = _session(), _actor()
        form = request.form
        unit = None
        try:
            unit = get_scoped(session, actor, Unit, int(form.get("unit_id", "0") or 0))
            data = load(s.CashierPaymentSchema, {
                "unit_id": unit.id, "method": form.get("method", ""), "payer": form.get("payer", ""),
                "reference": form.get("reference", ""),
                "lines": [int(i) for i in form.getlist("lines") if i.isdigit()] or None,
                "oldest_first": form.get("oldest_first") == "1",
                "amount_fen": _yuan_to_fen(form.get("amount"), "amount_fen"),
                "tendered_fen": _yuan_to_fen(form.get("tendered"), "tendered_fen")
                if form.get("method") == "cash" else None,
                "confirm": form.get("confirm") == "1"})
            done = cashier.take_payment(session, actor, data)
        except ConfirmationRequired as exc:
            session.rollback()
            return self._desk(unit=unit, confirm=_message(exc), form=form, status=409)
        except NotFound as exc:
            session.rollback()
            return self._desk(unit=unit, error=_message(exc), form=form, status=404)
        except WuyeError as exc:
            session.rollback()
            return self._desk(unit=unit, error=_message(exc), form=form, status=422)
        except Exception as exc:  # marshmallow's own error from the yuan field
            from marshmallow import ValidationError as MmError

            if not isinstance(exc, MmError):
                raise
            session.rollback()
            return self._desk(unit=unit, error="；".join(str(m) for m in exc.messages), form=form, status=422)
        receipt = done["receipt"]
        # the change due was on the desk as the cashier typed the cash tendered; the receipt opens to print
        return redirect(url_for("documents.print_view", doc="billing.receipt", ident=receipt.id))

    @expose("/reverse-payment/<int:payment_id>", methods=("POST",))
    def reverse_payment(self, payment_id: int):
        return self._correct(lambda session, actor, data: cashier.reverse_payment_at_desk(
            session, actor, payment_id, data), s.PaymentReversalSchema)

    @expose("/reverse-charge/<int:line_id>", methods=("POST",))
    def reverse_charge(self, line_id: int):
        return self._correct(lambda session, actor, data: cashier.reverse_charge_at_desk(
            session, actor, line_id, data), s.ChargeReversalSchema)

    def _correct(self, run, schema):
        session, actor = _session(), _actor()
        form = request.form
        unit = None
        if form.get("unit_id", "").isdigit():
            try:
                unit = get_scoped(session, actor, Unit, int(form["unit_id"]))
            except NotFound:
                unit = None
        fields_ = {k: form.get(k) for k in schema().fields if form.get(k) not in (None, "")}
        try:
            run(session, actor, load(schema, fields_))  # a blank reason is refused by the schema, naming it
        except WuyeError as exc:
            session.rollback()
            return self._desk(unit=unit, error=_message(exc), status=exc.http_status)
        done = str(Text("Reversed.", "已冲销。"))
        return redirect(url_for(".index_view", unit_id=unit.id if unit else None, done=done))


class ChargeLineColumns:
    """The charge list's paid/open column (未缴金额): the open amount, or 已缴清 / 已冲销."""

    def display(self, record, name):
        if name != "open_fen":
            return super().display(record, name)
        if record.reversed_at is not None or record.origin == "reversal":
            return str(Text("Reversed", "已冲销"))
        open_ = record.amount_fen - record.paid_fen
        return str(Text("Paid", "已缴清")) if open_ <= 0 else f"¥{fen_to_yuan(open_):,}"


def admin_views() -> list[AdminViewSpec]:
    return [
        AdminViewSpec(
            model=Payment,
            schema=s.PaymentFormSchema,
            name="billing_cashier",
            label="Cashier desk",
            label_zh="收银台",
            view_permission="billing.post_payment",
            edit_permission="billing.post_payment",
            list_columns=("receipt_no", "unit", "amount_fen", "method", "paid_on", "collector"),
            column_labels=RELATED,
            can_create=False,
            can_edit=False,
            order=1,
            view_mixin=CashierDesk,
        ),
        AdminViewSpec(
            model=DailyClose,
            schema=s.DailyCloseSchema,
            name="billing_daily_closes",
            label="Daily close",
            label_zh="日清",
            view_permission="billing.view",
            edit_permission="billing.post_payment",
            list_columns=("business_day", "cashier", "payments", "net_fen", "cash_fen", "card_fen", "wechat_fen",
                          "alipay_fen", "transfer_fen", "voids", "first_receipt_no", "last_receipt_no"),
            filters=("business_day", "cashier_id"),
            column_labels=RELATED,
            can_edit=False,
            order=35,
            create_service=daily_close.close_day_action,
        ),
        AdminViewSpec(
            model=FeeItem,
            schema=s.FeeItemSchema,
            name="billing_fee_items",
            label="Fee items",
            label_zh="收费项目",
            view_permission="billing.view",
            edit_permission="billing.manage_fee_items",
            # the code stays searchable; the list shows the name people know (codes read like raw values)
            list_columns=("name_zh", "name", "category", "basis", "cycle", "price_per", "estate", "active"),
            search_fields=("code", "name", "name_zh"),
            filters=("category", "cycle", "active"),
            column_labels=RELATED,
            order=10,
            create_service=actions.create_fee_item,
        ),
        AdminViewSpec(
            model=FeePrice,
            schema=s.FeePriceSchema,
            name="billing_fee_prices",
            label="Prices",
            label_zh="收费标准",
            view_permission="billing.view",
            edit_permission="billing.manage_fee_items",
            list_columns=("fee_item", "estate_id", "effective_from", "price_cfen", "approval_ref"),
            lookups={"fee_item_id": "billing_fee_items"},
            column_labels=RELATED,
            can_edit=False,
            order=11,
            create_service=actions.create_price,
        ),
        AdminViewSpec(
            model=ChargeLine,
            schema=s.ChargeLineViewSchema,
            name="billing_charge_lines",
            label="Charges",
            label_zh="应收明细",
            view_permission="billing.view",
            edit_permission=None,
            # ``source`` (e.g. billing:apportion:12:432) is a machine reference: searchable, not a column
            list_columns=("unit", "fee_item", "period", "amount_fen", "open_fen", "due_on", "origin", "description"),
            search_fields=("period", "source"),
            filters=("unit_id", "period", "origin", "fee_item_id"),
            lookups={"unit_id": "unit"},
            column_labels=RELATED,
            can_create=False,
            can_edit=False,
            order=20,
            view_mixin=ChargeLineColumns,
        ),
        AdminViewSpec(
            model=Payment,
            schema=s.PaymentFormSchema,
            name="billing_payments",
            label="Payments",
            label_zh="收款",
            view_permission="billing.view",
            edit_permission="billing.post_payment",
            list_columns=("receipt_no", "unit", "amount_fen", "method", "paid_on", "collector"),
            search_fields=("receipt_no", "payer", "reference"),
            filters=("method", "paid_on"),
            lookups={"unit_id": "unit"},
            column_labels=RELATED,
            can_edit=False,
            order=30,
            create_service=actions.post_payment,
        ),
        AdminViewSpec(
            model=DepositEntry,
            schema=s.DepositFormSchema,
            name="billing_deposits",
            label="Deposits",
            label_zh="押金台账",
            view_permission="billing.view",
            edit_permission="billing.manage_deposits",
            list_columns=("unit", "kind", "amount_fen", "reason", "receipt_no", "created_at"),
            search_fields=("source", "receipt_no"),
            filters=("kind",),
            lookups={"unit_id": "unit"},
            column_labels=RELATED,
            can_edit=False,
            order=40,
            create_service=actions.hold_deposit,
        ),
        AdminViewSpec(
            model=MeterReading,
            schema=s.MeterReadingSchema,
            name="billing_meter_readings",
            label="Meter readings",
            label_zh="抄表",
            view_permission="billing.view",
            edit_permission="billing.read_meters",
            list_columns=("meter", "period", "previous_value", "value", "usage", "read_by", "checked_by"),
            filters=("period",),
            column_labels=RELATED,
            can_edit=False,
            order=50,
            create_service=actions.record_reading,
        ),
        AdminViewSpec(
            model=DunningCase,
            schema=s.DunningCaseSchema,
            name="billing_dunning_cases",
            label="Arrears cases",
            label_zh="欠费跟进",
            view_permission="billing.dunning",
            edit_permission=None,
            list_columns=(
                "unit",
                "status",
                "arrears_fen",
                "oldest_due_on",
                "assigned_role",
                "assignee",
                "opened_on",
            ),
            filters=("status", "assigned_role"),
            lookups={"unit_id": "unit"},
            column_labels=RELATED,
            can_create=False,
            can_edit=False,
            order=60,
        ),
        AdminViewSpec(
            model=DunningAction,
            schema=s.DunningActionSchema,
            name="billing_dunning_actions",
            label="Follow-ups",
            label_zh="催缴记录",
            view_permission="billing.dunning",
            edit_permission="billing.dunning",
            list_columns=("case", "kind", "due_on", "done_on", "overdue", "staff", "result"),
            filters=("kind", "overdue", "done_on"),
            column_labels=RELATED,
            can_edit=False,
            order=61,
            create_service=actions.record_dunning_action,
        ),
        zones.admin_view(),  # 收费片区: collectors' zones (plugins/billing/zones.py)
        *meter_desk.admin_views(),  # 表计档案, 抄表单, 公摊分摊 (plugins/billing/meter_desk.py)
    ]


# --- deposit corrections and dunning disputes on the record pages (plugins/billing/deposit_desk.py) -----
_admin_views_without_desks = admin_views


def admin_views() -> list[AdminViewSpec]:
    """The screens above, the deposit and arrears-case screens with their desks (扣除/退还/冲销, 争议)."""
    from plugins.billing.deposit_desk import with_desks

    return with_desks(_admin_views_without_desks())
