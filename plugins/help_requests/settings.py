"""The ``[plugins.help_requests]`` config section, validated at startup by ``wuye_config_schema``.

Example::

    [plugins.help_requests]
    reply_minutes = 30        # 002 Help Art.4: reply "within __ minutes" (blank in the manual)
    written_reply_days = 2    # 002 Help Art.9: written inquiries answered in writing within 2 days

A bad value stops startup naming the file, the section and the key.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

DEFAULT_REPLY_MINUTES = 30  # the manual leaves the number blank; 30 minutes is the spec's suggestion [INF]


class Settings(Schema):
    """``[plugins.help_requests]`` in wuye.toml."""

    reply_minutes = fields.Integer(
        load_default=DEFAULT_REPLY_MINUTES, strict=True, validate=validate.Range(min=1, max=1440),
        metadata={"description": "minutes within which a help request is replied to (1..1440; the blank "
                                 "'在 分钟内' of 002 Help Art.4)"})
    written_reply_days = fields.Integer(
        load_default=2, strict=True, validate=validate.Range(min=1, max=30),
        metadata={"description": "days within which the CS supervisor replies in writing to a written inquiry"})


def current(session) -> dict:
    """The validated section (the defaults outside a booted instance)."""
    from core import settings_of

    return settings_of(session, "help_requests", Settings().load({}))
