"""API resources under /api/v1/billing/...: the same schemas and services as the admin screens.

The cashier desk's operations (docs/plugins/billing.md, "API"):

* ``POST /api/v1/billing/cashier/payments``: take a payment (``CashierPaymentSchema``) → 201 with the
  payment, ``receipt_no``, ``change_fen`` and the receipt's print URL;
* ``GET /api/v1/billing/cashier/units/<id>``: the unit's open lines by period, totals, prepaid balance;
* ``POST /api/v1/billing/payments/<id>/reverse``: 红冲 (``PaymentReversalSchema``) → 201 the reversal;
* ``POST /api/v1/billing/charge-lines/<id>/reverse``: reverse a charge (``ChargeReversalSchema``) → 201;
* ``/api/v1/billing/daily-closes``: list the closes (日清), ``POST`` closes a day.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for
from sqlalchemy import and_, not_

from core import ApiResourceSpec, PermissionDenied, Text, ValidationError, get_scoped, has_permission, load
from core import request_actor as _actor
from core import request_session as _session
from core.models import Unit
from plugins.billing import actions, cashier, daily_close, meter_desk
from plugins.billing import schemas as s
from plugins.billing.ledger import live_lines, paid_expr
from plugins.billing.models import (
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
from plugins.billing.zones import zones_blueprint


def api_resources() -> list[ApiResourceSpec]:
    return [
        ApiResourceSpec(
            model=FeeItem,
            schema=s.FeeItemSchema,
            path="billing/fee-items",
            view_permission="billing.view",
            edit_permission="billing.manage_fee_items",
            filters=("code", "category", "cycle", "active", "estate_id"),
            create_service=actions.create_fee_item,
        ),
        ApiResourceSpec(
            model=FeePrice,
            schema=s.FeePriceSchema,
            path="billing/fee-prices",
            view_permission="billing.view",
            edit_permission="billing.manage_fee_items",
            filters=("fee_item_id", "estate_id"),
            can_update=False,
            create_service=actions.create_price,
        ),
        ApiResourceSpec(
            model=ChargeLine,
            schema=s.ChargeLineSchema,
            path="billing/charge-lines",
            view_permission="billing.view",
            edit_permission=None,
            filters=("unit_id", "period", "origin", "fee_item_id", "source"),
            filter_clauses={"status": (_line_status, {"type": "string", "enum": ["open", "paid"]})},
            can_create=False,
            can_update=False,
        ),
        ApiResourceSpec(
            model=Payment,
            schema=s.PaymentSchema,
            path="billing/payments",
            view_permission="billing.view",
            edit_permission="billing.post_payment",
            filters=("unit_id", "method", "paid_on", "receipt_no"),
            can_update=False,
            create_service=actions.post_payment,
        ),
        ApiResourceSpec(
            model=DepositEntry,
            schema=s.DepositSchema,
            path="billing/deposits",
            view_permission="billing.view",
            edit_permission="billing.manage_deposits",
            filters=("unit_id", "source", "kind"),
            can_update=False,
            create_service=actions.hold_deposit,
        ),
        ApiResourceSpec(
            model=MeterReading,
            schema=s.MeterReadingSchema,
            path="billing/meter-readings",
            view_permission="billing.view",
            edit_permission="billing.read_meters",
            filters=("meter_id", "period"),
            can_update=False,
            create_service=actions.record_reading,
        ),
        ApiResourceSpec(
            model=DunningCase,
            schema=s.DunningCaseSchema,
            path="billing/dunning-cases",
            view_permission="billing.dunning",
            edit_permission=None,
            filters=("unit_id", "status"),
            can_create=False,
            can_update=False,
        ),
        ApiResourceSpec(
            model=DunningAction,
            schema=s.DunningActionSchema,
            path="billing/dunning-actions",
            view_permission="billing.dunning",
            edit_permission="billing.dunning",
            filters=("case_id", "kind", "overdue"),
            can_update=False,
            create_service=actions.record_dunning_action,
        ),
        ApiResourceSpec(
            model=DailyClose,
            schema=s.DailyCloseSchema,
            path="billing/daily-closes",
            view_permission="billing.view",
            edit_permission="billing.post_payment",
            filters=("estate_id", "cashier_id", "business_day"),
            can_update=False,
            create_service=daily_close.close_day_action,
        ),
        cashier_blueprint(),
        zones_blueprint(),  # collection rate per collector's zone (plugins/billing/zones.py)
        meter_desk.api_resource(),  # meters, reading sheets, apportionment (plugins/billing/meter_desk.py)
        meter_desk.meters_blueprint(),
    ]


def _line_status(raw: str):
    """``?status=open``: lines still owed; ``paid``: live lines settled in full (reversed ones are neither)."""
    owed = ChargeLine.amount_fen - paid_expr() > 0
    if raw == "open":
        return and_(*live_lines(), owed)
    if raw == "paid":
        return and_(*live_lines(), not_(owed))
    raise ValueError("status: open or paid")


def _need(permission: str):
    session, actor = _session(), _actor()
    if actor is None or not has_permission(session, actor, permission):
        raise PermissionDenied(f"needs permission {permission}")
    return session, actor


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError(Text("send a JSON object", "请发送 JSON 对象"))
    return data


def _payment_json(payment) -> dict:
    return s.PaymentSchema().dump(payment)


def take_payment():
    session, actor = _need("billing.post_payment")
    data = load(s.CashierPaymentSchema, _body())
    done = cashier.take_payment(session, actor, data)
    receipt = done["receipt"]
    out = {**_payment_json(done["payment"]), "change_fen": done["change_fen"],
           "receipt_url": url_for("documents.print_view", doc="billing.receipt", ident=receipt.id)
           if receipt is not None else None}
    return jsonify(out), 201


def unit_open_items(unit_id: int):
    session, actor = _need("billing.view")
    unit = get_scoped(session, actor, Unit, unit_id)
    found = cashier.open_items(session, unit)
    return jsonify({"unit_id": unit.id, "label": unit.label, "open_fen": found["open_fen"],
                    "late_fee_fen": found["late_fee_fen"], "prepaid_fen": found["prepaid_fen"],
                    "periods": [{"period": g["period"], "open_fen": g["open_fen"],
                                 "lines": [{"id": r["line"].id, "fee_item": r["fee_item"].code,
                                            "fee_item_name": r["fee_item"].name_zh or r["fee_item"].name,
                                            "due_on": r["line"].due_on.isoformat(), "amount_fen": r["line"].amount_fen,
                                            "open_fen": r["open_fen"], "late_fee": r["late_fee"]}
                                           for r in g["rows"]]} for g in found["groups"]]})


def reverse_payment(payment_id: int):
    session, actor = _need("billing.reverse")
    data = load(s.PaymentReversalSchema, _body())
    rev = cashier.reverse_payment_at_desk(session, actor, payment_id, data)
    return jsonify(_payment_json(rev)), 201


def reverse_charge(line_id: int):
    session, actor = _need("billing.reverse")
    data = load(s.ChargeReversalSchema, _body())
    rev = cashier.reverse_charge_at_desk(session, actor, line_id, data)
    return jsonify(s.ChargeLineSchema().dump(rev)), 201


def cashier_blueprint() -> Blueprint:
    bp = Blueprint("billing_cashier_api", __name__)
    bp.add_url_rule("/billing/cashier/payments", "take_payment", take_payment, methods=["POST"])
    bp.add_url_rule("/billing/cashier/units/<int:unit_id>", "unit_open_items", unit_open_items, methods=["GET"])
    bp.add_url_rule("/billing/payments/<int:payment_id>/reverse", "reverse_payment", reverse_payment,
                    methods=["POST"])
    bp.add_url_rule("/billing/charge-lines/<int:line_id>/reverse", "reverse_charge", reverse_charge,
                    methods=["POST"])
    return bp


# --- deposit corrections and dunning disputes (plugins/billing/deposit_desk.py) -------------------------
_api_resources_without_desks = api_resources


def api_resources() -> list[ApiResourceSpec]:
    """The resources above, and ``/billing/deposits/<id>/deduct|refund|reverse`` and
    ``/billing/dunning-cases/<id>/dispute|end-dispute``."""
    from plugins.billing.deposit_desk import deposit_desk_blueprint

    return _api_resources_without_desks() + [deposit_desk_blueprint()]
