"""Staff-facing entry points used by admin screens, the API and the CLI.

Each takes ``(session, actor, data)`` with data already loaded by the plugin's marshmallow schema,
checks the actor's permission and estate, then calls the service. The contract services themselves
(``post_charge``, ``record_payment`` ...) trust the calling plugin's own permission checks.
"""

from __future__ import annotations

from core.errors import NotFound
from core.models import Unit
from core.security.grants import require
from plugins.billing import services
from plugins.billing.fees import cfen_to_yuan
from plugins.billing.models import FeeItem
from plugins.billing.models_ops import DunningCase, Meter


def _in_scope(actor, estate_id: int | None) -> bool:
    return estate_id is None or actor.all_estates or estate_id in {e.id for e in actor.estates}


def _get(session, actor, model, ident, field: str):
    row = session.get(model, ident) if ident is not None else None
    if row is None or not _in_scope(actor, getattr(row, "estate_id", None)):
        raise NotFound(f"no such {model.__name__} #{ident}", field=field)
    return row


def create_fee_item(session, actor, data: dict) -> FeeItem:
    return services.create_fee_item(session, actor, **data)


def create_price(session, actor, data: dict):
    require(session, actor, "billing.manage_fee_items")
    item = _get(session, actor, FeeItem, data["fee_item_id"], "fee_item_id")
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
    require(session, actor, "billing.post_payment")
    unit = _get(session, actor, Unit, data["unit_id"], "unit_id")
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
    )


def hold_deposit(session, actor, data: dict):
    require(session, actor, "billing.manage_deposits")
    unit = _get(session, actor, Unit, data["unit_id"], "unit_id")
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
    meter = _get(session, actor, Meter, data["meter_id"], "meter_id")
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
    case = _get(session, actor, DunningCase, data["case_id"], "case_id")
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
