"""Fee items, price versions, the fee publication (收费公示) and seeding through wuye_billing_fee_items."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

import plugins
from core.errors import NotFound, PermissionDenied, ValidationError
from core.testing import boot
from plugins.billing import services as billing
from plugins.billing.fees import catalogue
from plugins.billing.models import FeeItem, FeePrice
from tests.core.plugin_factory import PluginTree

from .helpers import item

D = dt.date


def test_catalogue_is_seeded_with_prices(seeded):
    s = seeded
    pf = billing.get_fee_item(s, "property_service")
    assert (pf.category, pf.basis, pf.cycle, pf.unit_types) == (
        "property_service",
        "built_area",
        "monthly",
        ["residential"],
    )
    assert billing.price_for(s, pf, None, D(2026, 11, 1)).price_cfen == 25000  # 2.50 yuan/m²/month
    elec = billing.get_fee_item(s, "electricity")
    tiers = billing.price_for(s, elec, None, D(2026, 11, 1)).tiers
    assert [(t.from_centi, t.to_centi, t.price_cfen) for t in tiers] == [
        (0, 23000, 5283),
        (23000, 40000, 5783),
        (40000, None, 8283),
    ]
    assert {d.code for d, *_ in catalogue()} <= {i.code for i in s.scalars(select(FeeItem))}


def test_seeding_is_idempotent_and_keeps_staff_edits(seeded):
    s = seeded
    pf = billing.get_fee_item(s, "property_service")
    pf.name_zh = "物业费(本公司)"
    pf.active = False
    assert billing.ensure_fee_items(s) == 0
    s.refresh(pf)
    assert pf.name_zh == "物业费(本公司)" and pf.active is False
    assert len(list(s.scalars(select(FeePrice).where(FeePrice.fee_item_id == pf.id)))) == 1


def test_a_plugin_contributes_fee_items_through_the_hook(session, tmp_path):
    tree = PluginTree(tmp_path)
    tree.add(
        "extfees",
        depends=["billing"],
        hooks="""
        @hookimpl
        def wuye_billing_fee_items():
            from plugins.billing.services import FeeItemDef

            return [FeeItemDef("ext_cleaning", "Deep cleaning", "深度保洁", "convenience", price_fen=1234),
                    FeeItemDef("ext_deposit_fee", "Pass fee", "出入证工本费", "renovation")]
    """,
    )
    ext = boot(["billing", "extfees"], search=[(Path(plugins.__file__).parent, "plugins"), *tree.search])
    assert billing.ensure_fee_items(session, ext) >= 2
    cleaning = billing.get_fee_item(session, "ext_cleaning")
    assert (cleaning.category, cleaning.basis, cleaning.cycle, cleaning.source_plugin) == (
        "convenience",
        "fixed",
        "one_off",
        "extfees",
    )
    assert billing.price_for(session, cleaning, None, D(2026, 1, 1)).price_cfen == 123400
    assert billing.ensure_fee_items(session, ext) == 0


def test_a_bad_definition_from_a_plugin_is_reported(session, tmp_path):
    tree = PluginTree(tmp_path)
    tree.add(
        "badfees",
        depends=["billing"],
        hooks="""
        @hookimpl
        def wuye_billing_fee_items():
            return [{"code": "x"}]
    """,
    )
    ext = boot(["billing", "badfees"], search=[(Path(plugins.__file__).parent, "plugins"), *tree.search])
    with pytest.raises(ValidationError) as err:
        billing.ensure_fee_items(session, ext)
    assert "badfees" in err.value.message


def test_estate_price_overrides_the_company_price_from_its_date(bt):
    s = bt.session
    pf = item(s, bt.estate, "pf", price="2.00")
    pf.estate_id = None  # a company-wide item
    billing.set_price(s, None, pf, price="3.20", effective_from=D(2026, 7, 1), estate=bt.estate)
    assert billing.price_for(s, pf, bt.estate.id, D(2026, 6, 30)).price_cfen == 20000
    assert billing.price_for(s, pf, bt.estate.id, D(2026, 7, 1)).price_cfen == 32000
    assert billing.price_for(s, pf, None, D(2026, 7, 1)).price_cfen == 20000
    with pytest.raises(ValidationError):  # same item, estate and day twice
        billing.set_price(s, None, pf, price="3.30", effective_from=D(2026, 7, 1), estate=bt.estate)


def test_publication_lists_items_with_current_prices(bt):
    s = bt.session
    pf = item(s, bt.estate, "pf", price="2.00", unit_label="m²", approval_ref="宁价[2025]12号")
    billing.set_price(s, None, pf, price="2.35", effective_from=D(2026, 10, 1), approval_ref="宁价[2026]3号")
    item(s, bt.estate, "nopr", price="1.00", since=D(2027, 1, 1))
    pub = billing.publication(s, bt.estate, D(2026, 11, 1))
    rows = {r["code"]: r for r in pub["items"]}
    assert set(rows) == {"pf", "nopr"}  # inactive catalogue items are not published
    assert rows["pf"]["price_yuan"] == "2.3500" and rows["pf"]["approval_ref"] == "宁价[2026]3号"
    assert rows["pf"]["effective_from"] == D(2026, 10, 1) and rows["pf"]["basis_zh"].startswith("按建筑面积")
    assert rows["nopr"]["price_yuan"] is None
    assert pub["estate"]["code"] == "BT"


@pytest.mark.parametrize(
    "price,msg", [(2.5, "float"), ("-1", "zero or more"), ("abc", "not a number"), ("1.23456", "4 decimals")]
)
def test_price_input_is_exact(price, msg):
    with pytest.raises(ValidationError) as err:
        billing.parse_price_cfen(price)
    assert err.value.field == "price" and msg in err.value.message


def test_parse_price_cfen():
    assert billing.parse_price_cfen("2.35") == 23500 and billing.parse_price_cfen("0.5283") == 5283
    assert billing.parse_price_cfen(3) == 30000


def test_fee_item_validation_and_permission(bt):
    s = bt.session
    with pytest.raises(ValidationError) as err:
        billing.create_fee_item(s, None, code="x1", name="x", category="food")
    assert err.value.field == "category"
    with pytest.raises(ValidationError) as err:
        billing.create_fee_item(
            s, None, code="x2", name="x", category="water", basis="metered", cycle="yearly"
        )
    assert err.value.field == "cycle"
    with pytest.raises(PermissionDenied):
        billing.create_fee_item(s, bt.cashier, code="x3", name="x", category="other")
    made = billing.create_fee_item(s, bt.finance, code="x4", name="x", category="other", price="9.99")
    assert made.prices[0].price_cfen == 99900
    with pytest.raises(ValidationError):
        billing.create_fee_item(s, bt.finance, code="x4", name="again", category="other")
    with pytest.raises(NotFound):
        billing.get_fee_item(s, "nope")
    with pytest.raises(ValidationError) as err:  # tiers belong to metered items
        billing.set_price(s, None, made, price="1", effective_from=D(2027, 1, 1), tiers=[(0, None, "1")])
    assert err.value.field == "tiers"
