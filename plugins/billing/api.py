"""API resources under /api/v1/billing/...: the same schemas and services as the admin screens."""

from __future__ import annotations

from core import ApiResourceSpec
from plugins.billing import actions
from plugins.billing import schemas as s
from plugins.billing.models import (
    ChargeLine,
    DepositEntry,
    DunningAction,
    DunningCase,
    FeeItem,
    FeePrice,
    MeterReading,
    Payment,
)


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
    ]
