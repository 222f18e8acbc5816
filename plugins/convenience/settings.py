"""The ``[plugins.convenience]`` config section, validated at startup by ``wuye_config_schema``.

Example::

    [plugins.convenience]
    default_billing_mode = "monthly"   # 记账月结 unless the booking says per_job (次结)
    review_month = 1                   # the month the yearly price-list review is due (每年1月)
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate
from sqlalchemy.orm import Session

from core import settings_of
from plugins.convenience.models import BillingMode


class Settings(Schema):
    """``[plugins.convenience]`` in wuye.toml."""

    class Meta:
        unknown = RAISE

    default_billing_mode = fields.Str(load_default=BillingMode.per_job.value,
                                      validate=validate.OneOf([m.value for m in BillingMode]))
    review_month = fields.Int(load_default=1, validate=validate.Range(min=1, max=12))


DEFAULTS: dict = Settings().load({})


def current_settings(session: Session) -> dict:
    """The instance's validated section with every default filled in (defaults alone outside an instance)."""
    return {**DEFAULTS, **settings_of(session, "convenience", DEFAULTS)}
