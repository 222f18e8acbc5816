"""The ``[plugins.webhooks]`` section of wuye.toml.

Example::

    [plugins.webhooks]
    max_attempts = 8          # then the delivery is marked failed
    backoff_seconds = 60      # wait before the 2nd attempt; doubles each time (1, 2, 4, ... minutes)
    timeout_seconds = 5       # per request
    batch_size = 100          # deliveries one run of webhooks.deliver sends at most
    keep_days = 90            # delivered and failed deliveries are removed from the log after this
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate


class Settings(Schema):
    """``[plugins.webhooks]``: every key has a default, so the section may be left out."""

    class Meta:
        unknown = RAISE

    max_attempts = fields.Integer(
        load_default=8, strict=True, validate=validate.Range(min=1, max=20),
        metadata={"description": "attempts before a delivery is marked failed"})
    backoff_seconds = fields.Integer(
        load_default=60, strict=True, validate=validate.Range(min=1, max=3600),
        metadata={"description": "wait after the first failed attempt; doubled after each further one"})
    timeout_seconds = fields.Integer(
        load_default=5, strict=True, validate=validate.Range(min=1, max=30),
        metadata={"description": "seconds to wait for the receiver's answer"})
    batch_size = fields.Integer(
        load_default=100, strict=True, validate=validate.Range(min=1, max=1000),
        metadata={"description": "deliveries one run of the job webhooks.deliver sends at most"})
    keep_days = fields.Integer(
        load_default=90, strict=True, validate=validate.Range(min=1, max=3650),
        metadata={"description": "days delivered and failed deliveries stay in the log"})


DEFAULTS = Settings().load({})
