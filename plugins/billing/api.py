"""API resources under /api/v1/billing/...: the same schemas and services as the admin screens."""

from __future__ import annotations

from core.web.specs import ApiResourceSpec
from plugins.billing import actions
from plugins.billing import schemas as s
from plugins.billing.models import ChargeLine, DepositEntry, FeeItem, FeePrice, Payment
from plugins.billing.models_ops import DunningAction, DunningCase, MeterReading


def api_resources() -> list[ApiResourceSpec]:
    return [
        ApiResourceSpec(
            FeeItem,
            s.FeeItemSchema,
            "billing/fee-items",
            "billing.view",
            "billing.manage_fee_items",
            filters=("code", "category", "cycle", "active", "estate_id"),
            create_service=actions.create_fee_item,
        ),
        ApiResourceSpec(
            FeePrice,
            s.FeePriceSchema,
            "billing/fee-prices",
            "billing.view",
            "billing.manage_fee_items",
            filters=("fee_item_id", "estate_id"),
            can_update=False,
            create_service=actions.create_price,
        ),
        ApiResourceSpec(
            ChargeLine,
            s.ChargeLineSchema,
            "billing/charge-lines",
            "billing.view",
            None,
            filters=("unit_id", "period", "origin", "fee_item_id", "source"),
            can_create=False,
            can_update=False,
        ),
        ApiResourceSpec(
            Payment,
            s.PaymentSchema,
            "billing/payments",
            "billing.view",
            "billing.post_payment",
            filters=("unit_id", "method", "paid_on", "receipt_no"),
            can_update=False,
            create_service=actions.post_payment,
        ),
        ApiResourceSpec(
            DepositEntry,
            s.DepositSchema,
            "billing/deposits",
            "billing.view",
            "billing.manage_deposits",
            filters=("unit_id", "source", "kind"),
            can_update=False,
            create_service=actions.hold_deposit,
        ),
        ApiResourceSpec(
            MeterReading,
            s.MeterReadingSchema,
            "billing/meter-readings",
            "billing.view",
            "billing.read_meters",
            filters=("meter_id", "period"),
            can_update=False,
            create_service=actions.record_reading,
        ),
        ApiResourceSpec(
            DunningCase,
            s.DunningCaseSchema,
            "billing/dunning-cases",
            "billing.dunning",
            None,
            filters=("unit_id", "status"),
            can_create=False,
            can_update=False,
        ),
        ApiResourceSpec(
            DunningAction,
            s.DunningActionSchema,
            "billing/dunning-actions",
            "billing.dunning",
            "billing.dunning",
            filters=("case_id", "kind", "overdue"),
            can_update=False,
            create_service=actions.record_dunning_action,
        ),
    ]
