"""Billing's tables: MODELS lists every mapped class, table names carry the plugin's prefix, and the
record rule shows company-wide fee items to every office."""

from __future__ import annotations

from sqlalchemy import select

from core import Base
from core.scoping import scope
from plugins.billing import models
from plugins.billing.models import MODELS, FeeItem

from .helpers import item, make_estate


def test_models_lists_every_mapped_class_of_billing():
    mapped = {m.class_ for m in Base.registry.mappers if m.class_.__module__.startswith("plugins.billing.")}
    assert set(MODELS) == mapped and len(MODELS) == len(mapped)
    assert all(m.__tablename__.startswith("billing_") for m in MODELS)
    assert all(getattr(models, m.__name__) is m for m in MODELS)  # re-exported by the package


def test_record_rules_show_company_wide_items_to_every_office(bt):
    s = bt.session
    other, _ = make_estate(s, "OT2", buildings=1)
    item(s, bt.estate, "mine")
    item(s, other, "theirs")
    codes = set(s.scalars(scope(select(FeeItem.code), bt.cashier, FeeItem)))
    assert "mine" in codes and "property_service" in codes and "theirs" not in codes
