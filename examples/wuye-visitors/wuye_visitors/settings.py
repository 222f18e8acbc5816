"""The ``[plugins.visitors]`` section of wuye.toml."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class Settings(Schema):
    """``[plugins.visitors]``: every key has a default, so the section may be left out."""

    overstay_hours = fields.Integer(
        load_default=12, strict=True, validate=validate.Range(min=1, max=72),
        metadata={"description": "hours after which a visitor still inside is flagged (job visitors.flag_overstays)"})
