"""Billing's tables, one module per aggregate:

* :mod:`.catalogue`: fee items (收费项目), price versions (收费标准) and tiers (阶梯);
* :mod:`.ledger`: accounts, charge lines (应收), payments (实收), allocations (核销), receipts
  (收款收据) and deposit entries (押金), guarded as an append-only ledger;
* :mod:`.meters`: meters and readings (抄表);
* :mod:`.dunning`: arrears cases and follow-ups (催缴);
* :mod:`.vacancy`: vacancy periods (空置).

Every class and choice list is importable from here; :data:`MODELS` lists every mapped class (what
``wuye_register_models`` returns).
"""

from plugins.billing.models.catalogue import (
    BASES,
    CATEGORIES,
    CYCLES,
    PAYERS,
    ROUNDINGS,
    FeeItem,
    FeePrice,
    FeeTier,
)
from plugins.billing.models.dunning import CASE_STATUSES, DUNNING_KINDS, DunningAction, DunningCase
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
    Receipt,
)
from plugins.billing.models.meters import Meter, MeterReading
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
)

__all__ = [
    "BASES",
    "CASE_STATUSES",
    "CATEGORIES",
    "CYCLES",
    "DEPOSIT_KINDS",
    "DUNNING_KINDS",
    "LEDGER_COLUMNS",
    "METHODS",
    "MODELS",
    "ORIGINS",
    "PAYERS",
    "ROUNDINGS",
    "Account",
    "Allocation",
    "ChargeLine",
    "DepositEntry",
    "DunningAction",
    "DunningCase",
    "FeeItem",
    "FeePrice",
    "FeeTier",
    "Meter",
    "MeterReading",
    "Payment",
    "Receipt",
    "Vacancy",
]
