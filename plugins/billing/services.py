"""Billing services: the public API other plugins and the web/CLI layers call.

The functions of the contract (docs/plugins/billing.md, "For integrators") are ``post_charge``,
``cancel_charge``, ``outstanding_fen``, ``charges_for``, ``record_payment``, ``hold_deposit``, ``deduct_deposit``,
``refund_deposit``, ``deposit_balance_fen``, ``ensure_fee_items`` and the ``FeeItemDef`` dataclass.
Amounts are integer fen; functions flush and never commit (except ``run_billing``, which commits per
building unless told not to); bad input raises ``core.errors`` and writes nothing.

The implementations live in small modules (ledger, payments, deposits, fees, run, meters, arrears,
dunning, statement); this module re-exports them so callers import one place.
"""

from plugins.billing.arrears import aging, assess_late_fees, collection_rate, late_fee_fen, long_term_arrears
from plugins.billing.delivery import deemed_delivery
from plugins.billing.deposits import (
    deduct_deposit,
    deposit_balance_fen,
    hold_deposit,
    refund_deposit,
    reverse_deposit_entry,
)
from plugins.billing.dunning import arrears_followup, record_dunning_action, set_case_status
from plugins.billing.fees import (
    FeeItemDef,
    create_fee_item,
    ensure_fee_items,
    get_fee_item,
    parse_price_cfen,
    price_for,
    publication,
    set_price,
)
from plugins.billing.ledger import (
    cancel_charge,
    charges_for,
    lock_account,
    open_lines,
    outstanding_fen,
    post_charge,
    reverse_charge,
    unit_balance_fen,
)
from plugins.billing.meters import apportion, check_reading, create_meter, record_reading
from plugins.billing.models import Account, ChargeLine, DepositEntry, FeeItem, Payment
from plugins.billing.payments import (
    apply_prepaid,
    apply_prepaid_for_estate,
    prepaid_balance_fen,
    record_payment,
    reverse_payment,
)
from plugins.billing.prepaid import prepay
from plugins.billing.run import run_billing, run_billing_range
from plugins.billing.statement import statement, statement_xlsx
from plugins.billing.vacancy import record_vacancy
from plugins.billing.zones import assign_zone, zone_collection_rate

__all__ = [
    "Account",
    "ChargeLine",
    "DepositEntry",
    "FeeItem",
    "FeeItemDef",
    "Payment",
    "aging",
    "apply_prepaid",
    "apply_prepaid_for_estate",
    "apportion",
    "arrears_followup",
    "assess_late_fees",
    "assign_zone",
    "cancel_charge",
    "charges_for",
    "check_reading",
    "collection_rate",
    "create_fee_item",
    "create_meter",
    "deduct_deposit",
    "deemed_delivery",
    "deposit_balance_fen",
    "ensure_fee_items",
    "get_fee_item",
    "hold_deposit",
    "late_fee_fen",
    "lock_account",
    "long_term_arrears",
    "open_lines",
    "outstanding_fen",
    "parse_price_cfen",
    "post_charge",
    "prepaid_balance_fen",
    "prepay",
    "price_for",
    "publication",
    "record_dunning_action",
    "record_payment",
    "record_reading",
    "record_vacancy",
    "refund_deposit",
    "reverse_charge",
    "reverse_deposit_entry",
    "reverse_payment",
    "run_billing",
    "run_billing_range",
    "set_case_status",
    "set_price",
    "statement",
    "statement_xlsx",
    "unit_balance_fen",
    "zone_collection_rate",
]
