"""Plain values for the workflow definitions and the data their transitions carry."""

from __future__ import annotations

import enum
from types import SimpleNamespace

from core import Deadline

# Time limits of the staff's steps, in working days of the estate's business calendar (营业日历);
# the manual (KF18) is title-only, so these are common practice [INF], listed in docs/plugins/keys.md.
# Overdue ones are escalated to the customer-service supervisor, who answers for the key custodian.
# A loan's return is not here: its due time is the clock time the custodian types (expected_return_at).
LIMITS = {
    "handover_batch.received": Deadline(working_days=2, escalate_to="cs_supervisor"),  # check one by one
    "handover_batch.verified": Deadline(working_days=1, escalate_to="cs_supervisor"),  # seal them together
    "lock_change.open": Deadline(working_days=1, escalate_to="cs_supervisor"),  # a lost key: change the lock
    "inventory_count.open": Deadline(working_days=2, escalate_to="cs_supervisor"),  # finish the month's count
}


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
