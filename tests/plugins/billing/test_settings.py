"""The ``[plugins.billing]`` section: defaults, exact per-mille rates, and validation at boot."""

from __future__ import annotations

from decimal import Decimal

import pytest
from marshmallow import ValidationError
from sqlalchemy.orm import Session

from core.config import Config
from core.errors import PluginError
from core.runtime import Wuye
from plugins.billing.settings import DEFAULTS, Settings, billing_settings


def test_config_section_defaults_and_errors():
    defaults = Settings().load({})
    assert {k: defaults[k] for k in ("vacancy_discount_percent", "vacancy_after_months",
                                     "late_fee_daily_permille")} == {
        "vacancy_discount_percent": 0,
        "vacancy_after_months": 6,
        "late_fee_daily_permille": Decimal("0"),
    }
    # billing's domain rules: undelivered units billed to the developer, 95% collection target
    assert (defaults["developer_pays_undelivered"], defaults["developer_name"],
            defaults["collection_target_percent"]) == (True, "开发商", 95)
    with pytest.raises(ValidationError):
        Settings().load({"collection_target_percent": 101})
    loaded = Settings().load({"late_fee_daily_permille": 0.5, "vacancy_discount_percent": 30})
    assert loaded["late_fee_daily_permille"] == Decimal("0.5")  # exactly, although TOML gives a float
    with pytest.raises(ValidationError):
        Settings().load({"vacancy_discount_percent": 120})


def test_config_is_validated_at_boot():
    good = Wuye.boot(
        Config(
            database_url="sqlite://",
            enabled=["billing"],
            plugin_settings={"billing": {"vacancy_discount_percent": 20}},
        ),
        use_entry_points=False,
    )
    assert good.settings("billing")["vacancy_discount_percent"] == 20
    with pytest.raises(PluginError) as err:
        Wuye.boot(
            Config(
                database_url="sqlite://",
                enabled=["billing"],
                plugin_settings={"billing": {"late_fee_percent": 1}},
            ),
            use_entry_points=False,
        )
    assert "late_fee_percent" in str(err.value)


def test_billing_settings_fill_defaults_outside_a_booted_instance():
    assert billing_settings(Session()) == DEFAULTS  # a session no instance made: the defaults
    assert DEFAULTS == Settings().load({})
