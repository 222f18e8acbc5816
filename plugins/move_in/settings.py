"""The ``[plugins.move_in]`` config section, validated at startup by ``wuye_config_schema``.

Example::

    [plugins.move_in]
    photos_per_person = 2        # one-inch colour photos per person (KF08 §5.3: 2; 001 L199: 1)
    deemed_after_months = 1      # 视同交付: months after the owner received the notice (KF08 §4)
    reminder_days_before = 3     # remind the owner by letter or phone this many days before (KF08 §5.3.2)
    rectification_days = 7       # engineering rectifies inspection defects within a week (KF08 §5.4.5)
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class Settings(Schema):
    """``[plugins.move_in]`` in wuye.toml."""

    photos_per_person = fields.Integer(load_default=2, strict=True, validate=validate.OneOf([1, 2]), metadata={
        "description": "one-inch colour photos each person brings (1 or 2)"})
    deemed_after_months = fields.Integer(load_default=1, strict=True, validate=validate.Range(min=1, max=12),
                                         metadata={"description": "months after receiving the notice before the "
                                                                  "unit is deemed delivered"})
    reminder_days_before = fields.Integer(load_default=3, strict=True, validate=validate.Range(min=0, max=30),
                                          metadata={"description": "days before the notified date to remind"})
    rectification_days = fields.Integer(load_default=7, strict=True, validate=validate.Range(min=1, max=90),
                                        metadata={"description": "days engineering has to rectify a defect"})
