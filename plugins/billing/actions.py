"""Staff-facing entry points of the admin screens and the API (their ``create_service``).

Each takes ``(session, actor, data)`` with data already loaded by the plugin's marshmallow schema,
checks the actor's permission and estate, then calls the service. The contract services themselves
(``post_charge``, ``record_payment`` ...) trust the calling plugin's own permission checks.
"""

from __future__ import annotations

from core import NotFound, Text, authorize, get_scoped
from core.models import Unit
from plugins.billing import services
from plugins.billing.fees import cfen_to_yuan
from plugins.billing.models import DunningCase, FeeItem, Meter


def _scoped(session, actor, model, ident, field: str):
    """The record the input names, if the actor may see it; NotFound naming the input field otherwise.

    ``core.get_scoped`` applies the estate rule and every record filter, and does not say whether the
    record exists elsewhere; the field name tells the screen which input to mark.
    """
    try:
        return get_scoped(session, actor, model, ident)
    except NotFound:
        raise NotFound(Text(f"no such {model.__name__} #{ident}", f"找不到所选记录（#{ident}）"), field=field) from None


def create_fee_item(session, actor, data: dict) -> FeeItem:
    return services.create_fee_item(session, actor, **data)


def create_price(session, actor, data: dict):
    authorize(session, actor, "billing.manage_fee_items")
    item = _scoped(session, actor, FeeItem, data["fee_item_id"], "fee_item_id")
    tiers = [(t["from_qty"], t["to_qty"], str(cfen_to_yuan(t["price"]))) for t in data.get("tiers") or []]
    return services.set_price(
        session,
        actor,
        item,
        price=str(cfen_to_yuan(data["price_cfen"])),
        effective_from=data["effective_from"],
        estate=data.get("estate_id"),
        tiers=tiers,
        approval_ref=data.get("approval_ref", ""),
    )


def post_payment(session, actor, data: dict):
    authorize(session, actor, "billing.post_payment")
    unit = _scoped(session, actor, Unit, data["unit_id"], "unit_id")
    return services.record_payment(
        session,
        actor,
        unit=unit,
        amount_fen=data["amount_fen"],
        method=data["method"],
        lines=data.get("lines"),
        payer=data.get("payer", ""),
        reference=data.get("reference", ""),
        paid_on=data.get("paid_on"),
        confirm_prepaid=bool(data.get("confirm")),
    )


def hold_deposit(session, actor, data: dict):
    authorize(session, actor, "billing.manage_deposits")
    unit = _scoped(session, actor, Unit, data["unit_id"], "unit_id")
    return services.hold_deposit(
        session,
        actor,
        unit=unit,
        amount_fen=data["amount_fen"],
        source=data["source"],
        method=data.get("method", "cash"),
        reason=data.get("reason", ""),
    )


def record_reading(session, actor, data: dict):
    meter = _scoped(session, actor, Meter, data["meter_id"], "meter_id")
    return services.record_reading(
        session,
        actor,
        meter,
        period=data["period"],
        value=data["value"],
        read_on=data.get("read_on"),
        rollover=data.get("rollover", False),
        replacement=data.get("replacement", False),
        new_meter_initial=data.get("new_meter_initial"),
        old_meter_final=data.get("old_meter_final"),
        note=data.get("note", ""),
    )


def record_dunning_action(session, actor, data: dict):
    case = _scoped(session, actor, DunningCase, data["case_id"], "case_id")
    return services.record_dunning_action(
        session,
        actor,
        case,
        kind=data["kind"],
        result=data.get("result", ""),
        done_on=data.get("done_on"),
        promised_on=data.get("promised_on"),
        dispute_reason=data.get("dispute_reason"),
    )
