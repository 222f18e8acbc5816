"""Small helpers shared by the renovation modules: estate time, money text, estate scoping."""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

from core.activity import acting_as
from core.db import fen_to_yuan, utcnow
from core.errors import PermissionDenied
from core.models import Estate, StaffUser


def zone(estate: Estate) -> ZoneInfo:
    return ZoneInfo(estate.timezone or "Asia/Shanghai")


def local(estate: Estate, when: dt.datetime | None = None) -> dt.datetime:
    """``when`` (default now) in the estate's time zone."""
    return (when or utcnow()).astimezone(zone(estate))


def local_today(estate: Estate, now: dt.datetime | None = None) -> dt.date:
    """Which day it is at the estate (Asia/Shanghai unless the estate says otherwise)."""
    return local(estate, now).date()


def day_bounds(estate: Estate, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants where the estate's local ``day`` starts and the next day starts."""
    tz = zone(estate)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def yuan(fen: int) -> str:
    """``200000`` -> ``"2000.00"`` for messages."""
    return f"{fen_to_yuan(fen)}"


def ensure_estate(actor: StaffUser | None, estate_id: int) -> None:
    """Refuse an actor who does not work for the estate (record rules, DESIGN 8)."""
    if actor is None or actor.all_estates:
        return
    if estate_id not in {e.id for e in actor.estates}:
        raise PermissionDenied(f"{actor.username} does not work for this estate; "
                               "ask an administrator to assign the estate")


def attributed(func):
    """Attribute every change the service flushes to its ``actor`` in the activity trail."""

    @functools.wraps(func)
    def wrapper(session, actor, *args, **kwargs):
        with acting_as(session, actor):
            return func(session, actor, *args, **kwargs)

    return wrapper
