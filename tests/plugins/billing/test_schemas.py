"""Schemas: money as strings or decimals in yuan, or whole fen; never floats; messages name the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from marshmallow import ValidationError

from plugins.billing.schemas import (
    DunningActionSchema,
    FeeItemSchema,
    FeePriceSchema,
    MeterReadingSchema,
    PaymentSchema,
)


def test_payment_amount_in_yuan_or_fen():
    base = {"unit_id": 1, "method": "cash"}
    assert PaymentSchema().load({**base, "amount": "120.50"})["amount_fen"] == 12050
    assert PaymentSchema().load({**base, "amount": Decimal("0.01")})["amount_fen"] == 1
    assert PaymentSchema().load({**base, "amount_fen": 12050})["amount_fen"] == 12050
    assert PaymentSchema().load({**base, "amount_fen": "300"})["amount_fen"] == 300


@pytest.mark.parametrize(
    "data,field,words",
    [
        ({"amount": 120.5}, "amount", "never a float"),
        ({"amount": "-1"}, "amount", "negative"),
        ({"amount": "abc"}, "amount", "not a number"),
        ({"amount": "1.234"}, "amount", "two decimals"),
        ({"amount": "0"}, "amount", "more than zero"),
        ({"amount_fen": 10.0}, "amount_fen", "never a float"),
        ({"amount_fen": "12.5"}, "amount_fen", "whole number"),
        ({"amount_fen": -3}, "amount_fen", "more than zero"),
        ({}, "amount", "once"),
        ({"amount": "1", "amount_fen": 100}, "amount", "once"),
    ],
)
def test_payment_bad_amounts_name_the_field(data, field, words):
    with pytest.raises(ValidationError) as err:
        PaymentSchema().load({"unit_id": 1, "method": "cash", **data})
    msgs = err.value.messages[field]
    text = " ".join(msgs)
    assert words in text and text.startswith(field)


def test_payment_method_and_unknown_fields():
    with pytest.raises(ValidationError) as err:
        PaymentSchema().load({"unit_id": 1, "amount": "1", "method": "cheque", "x": 1})
    assert set(err.value.messages) == {"method", "x"}


def test_payment_dump_gives_fen_like_every_resource():
    class P:
        id, unit_id, amount_fen, method, to_prepaid_fen, receipt_no, collector_id = (
            1,
            2,
            12050,
            "cash",
            50,
            "RC-1",
            3,
        )
        payer = reference = ""
        paid_on = dt.date(2026, 11, 1)

    out = PaymentSchema().dump(P())
    assert (out["amount_fen"], out["to_prepaid_fen"]) == (12050, 50) and "amount" not in out


def test_fee_price_schema():
    data = FeePriceSchema().load(
        {
            "fee_item_id": 1,
            "effective_from": "2026-01-01",
            "price": "2.3456",
            "tiers": [{"from_qty": "0", "to_qty": "230", "price": "0.5283"}],
        }
    )
    assert data["price_cfen"] == 23456 and data["tiers"][0]["price"] == 5283
    for bad, words in (
        (2.5, "never a float"),
        ("-2", "negative"),
        ("1.00001", "four decimals"),
        ("x", "not a number"),
    ):
        with pytest.raises(ValidationError) as err:
            FeePriceSchema().load({"fee_item_id": 1, "effective_from": "2026-01-01", "price": bad})
        assert words in " ".join(err.value.messages["price"])


def test_fee_item_schema_choices():
    ok = FeeItemSchema().load(
        {"code": "pf2", "name": "x", "category": "property_service", "basis": "built_area"}
    )
    assert ok["cycle"] == "monthly" and ok["rounding"] == "half_up" and ok["unit_types"] == []
    with pytest.raises(ValidationError) as err:
        FeeItemSchema().load(
            {"code": "Bad Code", "name": "x", "category": "food", "basis": "vibes", "unit_types": ["castle"]}
        )
    assert {"code", "category", "basis", "unit_types"} <= set(err.value.messages)


def test_meter_reading_schema():
    data = MeterReadingSchema().load({"meter_id": 1, "period": "2026-11", "value": "1234.50"})
    assert data["value"] == Decimal("1234.50")
    with pytest.raises(ValidationError) as err:
        MeterReadingSchema().load({"meter_id": 1, "period": "2026-13", "value": 12.5})
    assert set(err.value.messages) == {"period", "value"}
    with pytest.raises(ValidationError) as err:
        MeterReadingSchema().load({"meter_id": 1, "period": "2026-11", "value": "5", "replacement": True})
    assert "new_meter_initial" in err.value.messages


def test_dunning_action_schema():
    assert DunningActionSchema().load({"case_id": 1, "kind": "sms"})["kind"] == "sms"
    with pytest.raises(ValidationError) as err:
        DunningActionSchema().load({"case_id": 1, "kind": "threat"})
    assert "kind" in err.value.messages
