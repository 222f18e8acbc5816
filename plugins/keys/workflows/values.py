"""Plain values for the workflow definitions and the data their transitions carry."""

from __future__ import annotations

import enum
from types import SimpleNamespace


def plain_states(enum_cls: type[enum.Enum]) -> SimpleNamespace:
    """An enum's members as the plain strings the engine stores (``S.sealed == "sealed"``)."""
    return SimpleNamespace(**{m.name: m.value for m in enum_cls})


def text(value, limit: int) -> str:
    """A value from transition data as text of at most ``limit`` characters (its column's size).

    The data may come straight from an API call, so it is cut rather than trusted.
    """
    return ("" if value is None else str(value))[:limit]


# Passed between the plugin's own effects only (ending an agreement from a key's release, so the
# release is not applied twice); an API request can send plain values, never this object.
INTERNAL = object()
