"""Meter readings (normal, rollover, replacement, refusal, double check) and apportionment (公摊)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.errors import Conflict, PermissionDenied, ValidationError
from plugins.billing import services as billing
from plugins.billing.models import ChargeLine, MeterReading

from .helpers import add_unit, item, staff


@pytest.fixture
def metered(bt):
    s = bt.session
    item(s, bt.estate, "water_t", price="3.95", basis="metered", category="water", prepaid=False)
    item(s, bt.estate, "shared_t", price="0", basis="fixed", category="shared_utilities", cycle="one_off")
    bt.meter = billing.create_meter(
        s,
        None,
        estate=bt.estate,
        code="W101",
        fee_item_code="water_t",
        unit=bt.units["101"],
        initial_reading="99980",
        max_value="100000",
    )
    bt.reader = staff(s, "reader1", "cs_specialist", estates=[bt.estate])
    bt.checker = staff(s, "checker1", "cs_specialist", estates=[bt.estate])
    return bt


def test_normal_reading_uses_the_previous_one(metered):
    s, m = metered.session, metered.meter
    r1 = billing.record_reading(s, metered.reader, m, period="2026-10", value="99990.5")
    r2 = billing.record_reading(s, metered.reader, m, period="2026-11", value="99995")
    assert (r1.previous_value, r1.usage, r1.usage_centi) == (Decimal("99980"), Decimal("10.5"), 1050)
    assert (r2.previous_value, r2.usage) == (Decimal("99990.5"), Decimal("4.5"))
    assert r2.read_by_id == metered.reader.id


def test_rollover_past_the_dial_maximum(metered):
    s, m = metered.session, metered.meter
    r = billing.record_reading(s, None, m, period="2026-11", value="15", rollover=True)
    assert r.usage == Decimal("35") and r.rollover  # 100000 - 99980 + 15


def test_replacement_counts_old_and_new_meter(metered):
    s, m = metered.session, metered.meter
    r = billing.record_reading(
        s,
        None,
        m,
        period="2026-11",
        value="7.25",
        replacement=True,
        new_meter_initial="2",
        old_meter_final="99990",
        new_serial_no="NEW-1",
    )
    assert r.usage == Decimal("15.25")  # (99990 - 99980) + (7.25 - 2)
    assert m.initial_reading == Decimal("2") and m.serial_no == "NEW-1"
    nxt = billing.record_reading(s, None, m, period="2026-12", value="10")
    assert nxt.previous_value == Decimal("7.25") and nxt.usage == Decimal("2.75")


def test_a_reading_below_the_previous_without_a_flag_is_refused(metered):
    s, m = metered.session, metered.meter
    with pytest.raises(ValidationError) as err:
        billing.record_reading(s, None, m, period="2026-11", value="15")
    assert err.value.field == "value" and "replacement" in err.value.message
    for bad in ("-1", "abc", 12.5, "1.234"):
        with pytest.raises(ValidationError):
            billing.record_reading(s, None, m, period="2026-11", value=bad)
    with pytest.raises(ValidationError):  # rollover flag, but the reading went up
        billing.record_reading(s, None, m, period="2026-11", value="99999", rollover=True)
    with pytest.raises(ValidationError):
        billing.record_reading(s, None, m, period="2026-11", value="5", replacement=True)
    assert s.scalar(select(func.count(MeterReading.id))) == 0


def test_readings_go_forward_and_are_checked_by_a_second_person(metered):
    s, m = metered.session, metered.meter
    r = billing.record_reading(s, metered.reader, m, period="2026-11", value="99990")
    with pytest.raises(Conflict):
        billing.record_reading(s, None, m, period="2026-10", value="99999")
    with pytest.raises(Conflict):
        billing.check_reading(s, metered.reader, r)
    with pytest.raises(PermissionDenied):
        billing.check_reading(s, metered.guard, r)
    billing.check_reading(s, metered.checker, r)
    assert r.checked_by_id == metered.checker.id


def test_apportion_a_common_meter_by_built_area(metered):
    s = metered.session
    add_unit(s, metered.b1, "104", area="33.33")
    add_unit(s, metered.b1, "P01", area="12.50", unit_type="parking")  # parking spaces do not share
    common = billing.create_meter(
        s, None, estate=metered.estate, code="GG1", fee_item_code="water_t", building=metered.b1
    )
    reading = billing.record_reading(s, None, common, period="2026-10", value="100")
    result = billing.apportion(s, metered.cashier, reading, fee_item_code="shared_t")
    # 100 m³ × 3.95 = 395.00 yuan over ALL of building 1's flats (parking excluded), 322.70 m² in all:
    # 101 (100 m²), 102 (89.37 m²), 103 (100 m², delivered only in November: the developer's share), 104 (33.33 m²)
    assert result["total_fen"] == 39500
    assert sum(result["parts"].values()) == 39500
    by_room = {u.room_no: result["parts"][u.id] for u in metered.b1.units if u.id in result["parts"]}
    # 39500 × 10000/32270 = 12240.47, × 8937/32270 = 10939.31, × 3333/32270 = 4079.75: floors sum to 39498;
    # the 2 fen left go to the largest fractions: 104 (.75), then 101 (.47, tied with 103: lower unit id)
    assert by_room == {"101": 12241, "102": 10939, "103": 12240, "104": 4080}
    assert result["developer_fen"] == 12240
    assert result["lines_created"] == 4
    payers = {line.unit.room_no: line.payer for line in s.scalars(select(ChargeLine).where(
        ChargeLine.origin == "apportion"))}
    assert payers == {"101": "owner", "102": "owner", "103": "developer", "104": "owner"}
    again = billing.apportion(s, metered.cashier, reading, fee_item_code="shared_t")
    assert again["lines_created"] == 0 and again["parts"] == result["parts"]
    lines = list(s.scalars(select(ChargeLine).where(ChargeLine.origin == "apportion")))
    assert sum(line.amount_fen for line in lines) == 39500 and {line.period for line in lines} == {"2026-10"}


def test_only_common_meters_are_apportioned(metered):
    s = metered.session
    r = billing.record_reading(s, None, metered.meter, period="2026-11", value="99990")
    with pytest.raises(ValidationError):
        billing.apportion(s, None, r, fee_item_code="shared_t")


def test_a_reading_beyond_the_dial_is_refused_naming_the_field(metered):
    """max_value is the dial's capacity (5 digits: 100000): a reading of it or more cannot be on the dial."""
    s, m = metered.session, metered.meter
    before = s.scalar(select(func.count()).select_from(MeterReading))
    with pytest.raises(ValidationError) as err:
        billing.record_reading(s, metered.reader, m, period="2026-11", value="999999.9")  # a digit too many
    assert err.value.field == "value" and "100000" in err.value.message
    with pytest.raises(ValidationError) as err:
        billing.record_reading(s, metered.reader, m, period="2026-11", value="100000")  # the dial shows 00000
    assert err.value.field == "value" and "量程" in err.value.errors["value"][0].zh
    assert s.scalar(select(func.count()).select_from(MeterReading)) == before
    with pytest.raises(ValidationError) as err:  # an initial reading the dial cannot show
        billing.create_meter(s, None, estate=metered.estate, code="W9", fee_item_code="water_t",
                             initial_reading="12000", max_value="10000")
    assert err.value.field == "initial_reading"
