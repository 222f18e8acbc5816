"""The ``[plugins.renovation]`` settings: defaults, work hours, and a boot refusing bad values."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import PluginError
from core.testing import boot
from plugins.renovation.settings import DEFAULTS, Settings, parse_work_hours


def test_config_defaults_and_validation():
    assert (DEFAULTS["deposit_fen"], DEFAULTS["waste_fee_fen"], DEFAULTS["pass_fee_fen"]) == (200000, 30000, 1000)
    assert parse_work_hours(DEFAULTS["work_hours"]) == [(dt.time(8), dt.time(12)), (dt.time(14), dt.time(18))]
    wuye = boot(["billing", "renovation"], plugin_settings={"renovation": {
        "deposit_fen": 300000, "work_hours": "08:30-12:00", "estate_work_hours": {"CH": "09:00-17:00"}}})
    assert wuye.settings("renovation")["deposit_fen"] == 300000
    assert wuye.settings("renovation")["pass_fee_fen"] == 1000
    with pytest.raises(PluginError) as err:
        boot(["billing", "renovation"], plugin_settings={"renovation": {
            "work_hours": "8 to 12", "deposit_fen": -1, "deposit": 5}})
    text = str(err.value)
    assert "'work_hours'" in text and "'deposit_fen'" in text and "'deposit'" in text
    errors = Settings().validate({"estate_work_hours": {"CH": "18:00-08:00"}})
    assert "estate_work_hours" in errors
