"""Convenience-service models (spec 2.20), one module per aggregate: the catalogue and its approved
versions, orders, long-term agreements (委托服务单), monthly statements (月结统计表) and item costs.

Every table carries ``estate_id`` (denormalised, indexed) so the core's estate scoping filters it
directly. ``MODELS`` lists every mapped class (what ``wuye_register_models`` returns).
"""

from __future__ import annotations

from plugins.convenience.models.agreements import ConvenienceAgreement, Frequency
from plugins.convenience.models.catalogue import (
    CatalogueStatus,
    ChargeUnit,
    ConvenienceCatalogueReview,
    ConvenienceCatalogueVersion,
    ConvenienceItem,
    ConveniencePrice,
    CustomerType,
    FeeKind,
    PrepayKind,
)
from plugins.convenience.models.costs import ConvenienceItemCost
from plugins.convenience.models.orders import BillingMode, Channel, ConvenienceOrder, OrderStatus
from plugins.convenience.models.statements import ConvenienceStatement, ConvenienceStatementLine

MODELS = (
    ConvenienceItem, ConvenienceCatalogueVersion, ConveniencePrice, ConvenienceCatalogueReview, ConvenienceOrder,
    ConvenienceAgreement, ConvenienceStatement, ConvenienceStatementLine, ConvenienceItemCost,
)

__all__ = [
    "MODELS", "BillingMode", "CatalogueStatus", "Channel", "ChargeUnit", "ConvenienceAgreement",
    "ConvenienceCatalogueReview", "ConvenienceCatalogueVersion", "ConvenienceItem", "ConvenienceItemCost",
    "ConvenienceOrder", "ConveniencePrice", "ConvenienceStatement", "ConvenienceStatementLine", "CustomerType",
    "FeeKind", "Frequency", "OrderStatus", "PrepayKind",
]
