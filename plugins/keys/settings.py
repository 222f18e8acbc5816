"""The ``[plugins.keys]`` config section, validated at startup by ``wuye_config_schema``.

Example::

    [plugins.keys]
    overdue_grace_minutes = 15                 # 借出超时: minutes of grace before a loan is flagged
    escort_required_for_custody_keys = true    # a custody key goes out only with a staff escort

The grace is calendar time, like the expected return it extends: a key is due back at a clock time,
nights and holidays included (docs/plugins/keys.md "Time limits").
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class Settings(Schema):
    """``[plugins.keys]`` in wuye.toml."""

    overdue_grace_minutes = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0, max=1440),
                                           metadata={"description": "minutes past the expected return before a "
                                                                    "loan is flagged overdue"})
    escort_required_for_custody_keys = fields.Boolean(load_default=True, metadata={
        "description": "a custody key is lent only with a staff escort named on the loan"})
