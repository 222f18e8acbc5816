"""The ``[plugins.billing]`` config section, validated at startup (``wuye_config_schema``).

Example::

    [plugins.billing]
    vacancy_discount_percent = 50     # 空置房物业费折扣: units empty long enough pay half
    vacancy_after_months = 6          # ... once they have stood empty this many months
    late_fee_daily_permille = 0.5     # 滞纳金 ‰ a day on overdue lines (0: no late fees)
    reversal_needs_second_person = true   # 红冲 confirmed by a second person (双人复核)
    developer_pays_undelivered = true # units not delivered are billed to the developer (开发商)
    developer_name = "开发商"           # the bill-to name printed for those lines
    collection_target_percent = 95    # 收缴率 target per collector (per person)
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
    # 红冲 needs a second person (another holder of billing.reverse, confirming at the desk with their login)
    reversal_needs_second_person = fields.Boolean(load_default=False)
    # issue 16 part 4 (billing's domain rules): bill-to developer, collection targets
    developer_pays_undelivered = fields.Boolean(load_default=True)
    developer_name = fields.String(load_default="开发商", validate=validate.Length(1, 200))
    collection_target_percent = fields.Integer(load_default=95, validate=validate.Range(0, 100))


DEFAULTS = Settings().load({})  # what a session outside a booted instance (or an empty section) gets


def billing_settings(session) -> dict:
    """The validated ``[plugins.billing]`` section, every key present (defaults fill what is missing)."""
    return {**DEFAULTS, **settings_of(session, "billing", DEFAULTS)}
