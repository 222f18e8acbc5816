"""The ``[plugins.return_visits]`` config section, validated at startup by ``wuye_config_schema``.

Example::

    [plugins.return_visits]
    lookback_days = 7        # the generate job looks at records closed in the last 7 days
    max_attempts = 3         # calls that reach nobody before a visit is closed as unreachable
    link_valid_days = 30     # the owner's rating link expires after 30 days
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class Settings(Schema):
    """``[plugins.return_visits]`` in wuye.toml."""

    lookback_days = fields.Integer(load_default=7, strict=True, validate=validate.Range(min=1, max=90), metadata={
        "description": "days back the generate job looks for closed records (reruns create no duplicates)"})
    max_attempts = fields.Integer(load_default=3, strict=True, validate=validate.Range(min=1, max=10), metadata={
        "description": "unanswered calls before a visit is closed as unreachable"})
    link_valid_days = fields.Integer(load_default=30, strict=True, validate=validate.Range(min=1, max=365),
                                     metadata={"description": "days an owner's rating link stays valid"})
