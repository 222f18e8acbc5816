"""Billing's tables, one module per aggregate:

* :mod:`.catalogue`: fee items (收费项目), price versions (收费标准) and tiers (阶梯);
* :mod:`.ledger`: accounts, charge lines (应收), payments (实收), allocations (核销), receipts
  (收款收据) and deposit entries (押金), guarded as an append-only ledger;
* :mod:`.meters`: meters and readings (抄表);
* :mod:`.dunning`: arrears cases and follow-ups (催缴);
* :mod:`.vacancy`: vacancy periods (空置);
* :mod:`.cash`: the cashier's daily close (日清) and voided receipts (作废);
* :mod:`.run`: queued billing runs and their chunks (出账批次, on workers).

Every class and choice list is importable from here; :data:`MODELS` lists every mapped class (what
``wuye_register_models`` returns).
"""

from plugins.billing.models.cash import CLOSE_METHODS, DailyClose, ReceiptVoid
from plugins.billing.models.catalogue import (
    BASES,
    CATEGORIES,
    CYCLES,
    PAYERS,
    PRICE_PER,
    ROUNDINGS,
    FeeItem,
    FeePrice,
    FeeTier,
)
from plugins.billing.models.dunning import (
    CASE_STATUSES,
    DUNNING_KINDS,
    CollectionZone,
    DunningAction,
    DunningCase,
)
from plugins.billing.models.ledger import (
    DEPOSIT_KINDS,
    LEDGER_COLUMNS,
    METHODS,
    ORIGINS,
    Account,
    Allocation,
    ChargeLine,
    DepositEntry,
    Payment,
    PrepaidBalance,
    Receipt,
)
from plugins.billing.models.meters import Meter, MeterReading
from plugins.billing.models.run import BillingRun, BillingRunChunk
from plugins.billing.models.vacancy import Vacancy

MODELS = (
    FeeItem,
    FeePrice,
    FeeTier,
    Account,
    ChargeLine,
    Payment,
    Allocation,
    Receipt,
    DepositEntry,
    Vacancy,
    Meter,
    MeterReading,
    DunningCase,
    DunningAction,
    PrepaidBalance,
    CollectionZone,
    DailyClose,
    ReceiptVoid,
    BillingRun,
    BillingRunChunk,
)

__all__ = [
    "BASES",
    "CASE_STATUSES",
    "CATEGORIES",
    "CLOSE_METHODS",
    "CYCLES",
    "DEPOSIT_KINDS",
    "DUNNING_KINDS",
    "LEDGER_COLUMNS",
    "METHODS",
    "MODELS",
    "ORIGINS",
    "PAYERS",
    "PRICE_PER",
    "ROUNDINGS",
    "Account",
    "Allocation",
    "BillingRun",
    "BillingRunChunk",
    "CollectionZone",
    "ChargeLine",
    "DailyClose",
    "DepositEntry",
    "DunningAction",
    "DunningCase",
    "FeeItem",
    "FeePrice",
    "FeeTier",
    "Meter",
    "MeterReading",
    "Payment",
    "PrepaidBalance",
    "Receipt",
    "ReceiptVoid",
    "Vacancy",
]
