"""Loading input through a plugin's marshmallow schema: the one door for admin forms, the API, the
CLI and services called from other plugins, so all of them accept and refuse the same things with
the same messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

from marshmallow import ValidationError as MmValidationError

from core.errors import ValidationError


def _plain(value):
    # Input may arrive already deserialised (the web layer loads the schema first, a service is
    # called with dates and decimals): give marshmallow back the text it expects, so loading twice
    # gives the same result.
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def load(schema, data, *, partial: bool = False) -> dict:
    """Validate ``data`` with ``schema`` (a marshmallow ``Schema`` class or instance).

    Returns the loaded dict; marshmallow's field messages become a ``ValidationError`` (HTTP 422,
    CLI exit 2) naming each field. Nothing else happens, so call it before changing anything.
    """
    if not isinstance(data, dict):
        raise ValidationError({"_schema": ["Invalid input type."]})
    instance = schema() if isinstance(schema, type) else schema
    try:
        return instance.load({k: _plain(v) for k, v in data.items()}, partial=partial)
    except MmValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        raise ValidationError(messages) from None
