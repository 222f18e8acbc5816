"""The ``[plugins.billing]`` config section, validated at startup (``wuye_config_schema``).

Example::

    [plugins.billing]
    vacancy_discount_percent = 50     # 空置房物业费折扣: units empty long enough pay half
    vacancy_after_months = 6          # ... once they have stood empty this many months
    late_fee_daily_permille = 0.5     # 滞纳金 ‰ a day on overdue lines (0: no late fees)
"""

from __future__ import annotations

from decimal import Decimal

from marshmallow import RAISE, Schema, fields, validate

from core import settings_of
from plugins.billing.schemas import Permille


class Settings(Schema):
    """``[plugins.billing]`` in wuye.toml."""

    class Meta:
        unknown = RAISE

    vacancy_discount_percent = fields.Integer(load_default=0, validate=validate.Range(0, 100))
    vacancy_after_months = fields.Integer(load_default=6, validate=validate.Range(0, 120))
    late_fee_daily_permille = Permille(load_default=Decimal("0"))


DEFAULTS = Settings().load({})  # what a session outside a booted instance (or an empty section) gets


def billing_settings(session) -> dict:
    """The validated ``[plugins.billing]`` section, every key present (defaults fill what is missing)."""
    return {**DEFAULTS, **settings_of(session, "billing", DEFAULTS)}
