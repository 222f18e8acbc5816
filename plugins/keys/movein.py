"""Move-in integration without a move-in plugin (spec 2.3 step 7, KF08 §5.4.6).

When a unit becomes ``delivered`` (core fires ``wuye_unit_event``), every key set of the unit
still ``sealed`` in the office is issued to the unit's owner, with an issue line in the
钥匙领(借)用登记表. The change is attributed to the person who delivered the unit when they hold
``keys.manage`` for the estate; otherwise it is done by the system (history shows no actor and the
comment says who triggered it). A unit without an owner on record, or without sealed keys, is left
alone. A move-in plugin that wants to keep a spare key in custody calls
``services.take_spare_into_custody`` afterwards.
"""

from __future__ import annotations

from sqlalchemy.orm import object_session

from core import PermissionDenied, as_system, authorize, estate_today, owners_of
from plugins.keys.custody import issue_to_owner
from plugins.keys.models import KeyStatus
from plugins.keys.register import key_sets_of_unit


def on_unit_event(unit, event: str, data: dict) -> list:
    """React to a unit event; returns the key sets issued (for tests and logs)."""
    if event != "status_changed" or str(data.get("to")) != "delivered":
        return []
    session = object_session(unit)
    if session is None:
        return []
    sealed = key_sets_of_unit(session, unit.id, KeyStatus.sealed)
    owners = owners_of(session, unit, estate_today(session, unit.estate_id))
    if not sealed or not owners:
        return []
    actor = data.get("actor")
    try:
        if actor is None:
            raise PermissionDenied("no actor")
        authorize(session, actor, "keys.manage", unit)
    except PermissionDenied:
        who = getattr(actor, "username", None) or "the system"
        with as_system(session):
            for ks in sealed:
                issue_to_owner(session, None, ks, owner=owners[0], detail=f"交房自动交付 (unit delivered by {who})")
        return sealed
    for ks in sealed:
        issue_to_owner(session, actor, ks, owner=owners[0], detail="交房交付 (unit delivered)")
    return sealed
