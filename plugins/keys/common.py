"""Small helpers shared by the keys services: authorisation, estate time, numbering, locking."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import NotFound, PermissionDenied, ValidationError
from core.models import Estate, StaffUser
from core.security.grants import require
from core.sequences import next_number

SYSTEM_KEY = "wuye_system"  # session.info flag of the job runner (core.workflow.engine): actor None = system


@contextmanager
def as_system(session: Session):
    """Run a block as the system (``actor=None`` allowed), as the job runner does for jobs."""
    previous = session.info.get(SYSTEM_KEY)
    session.info[SYSTEM_KEY] = True
    try:
        yield
    finally:
        if previous is None:
            session.info.pop(SYSTEM_KEY, None)
        else:
            session.info[SYSTEM_KEY] = previous


def authorise(session: Session, actor: StaffUser | None, permission: str, estate_id: int | None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` holds ``permission`` and works for the estate.

    ``actor=None`` is the system itself and is allowed only where the workflow engine allows it:
    in a session flagged as a system session (scheduled jobs, the unit-event hook, demo data).
    """
    if actor is None and session.info.get(SYSTEM_KEY):
        return
    require(session, actor, permission)
    if estate_id is not None and not actor.all_estates and estate_id not in {e.id for e in actor.estates}:
        raise PermissionDenied(f"{actor.username} does not work for estate {estate_id}; "
                               "ask the general manager to assign the estate")


def estate_zone(session: Session, estate_id: int) -> ZoneInfo:
    """The estate's time zone (default Asia/Shanghai) for 'which day / month is it'."""
    name = session.scalar(select(Estate.timezone).where(Estate.id == estate_id)) or "Asia/Shanghai"
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return ZoneInfo("Asia/Shanghai")


def local_date(session: Session, estate_id: int, when: dt.datetime | None = None) -> dt.date:
    """The calendar day of ``when`` (default now) at the estate."""
    return (when or utcnow()).astimezone(estate_zone(session, estate_id)).date()


def number(session: Session, kind: str, estate_id: int, when: dt.datetime | None = None) -> str:
    """Next ``KIND-YYYY-NNNNNN`` number for the estate, the year taken at the estate."""
    return next_number(session, kind, estate_id=estate_id, year=local_date(session, estate_id, when).year)


def get(session: Session, model: type, ident, *, lock: bool = False, what: str = "record"):
    """Load ``model`` by id (or pass an instance through); ``lock`` takes a row lock (FOR UPDATE)."""
    if isinstance(ident, model):
        if lock:
            session.flush()
            session.refresh(ident, with_for_update=True)
        return ident
    obj = session.get(model, ident, with_for_update=lock or None)
    if obj is None:
        raise NotFound(f"no {what} with id {ident!r}")
    return obj


def aware(value: dt.datetime | None, field: str) -> dt.datetime | None:
    """Refuse naive datetimes with a message naming the field (the database stores UTC)."""
    if value is not None and value.tzinfo is None:
        raise ValidationError("give a time with its time zone (e.g. 2026-03-01T14:00:00+08:00)", field=field)
    return value


def text_or_none(value: str | None) -> str:
    return (value or "").strip()


def transition(session: Session, record, name: str, actor: StaffUser | None, comment: str | None = None, **data):
    """Apply a workflow transition through the engine (the only way a key's status changes)."""
    from core.workflow import apply

    return apply(session, record, name, actor, comment=comment, **data)


def staff(session: Session, staff_id, field: str) -> StaffUser:
    """An active staff member by id, or a ValidationError naming ``field``."""
    if isinstance(staff_id, StaffUser):
        return staff_id
    user = session.get(StaffUser, staff_id) if staff_id is not None else None
    if user is None or not user.active:
        raise ValidationError(f"no active staff member with id {staff_id!r}", field=field)
    return user


def is_count(value, minimum: int = 1) -> bool:
    """True for a whole number (not a bool) of at least ``minimum``."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def plain_states(enum_cls):
    """An enum's members as plain strings (``S.sealed == "sealed"``) for workflow definitions."""
    from types import SimpleNamespace

    return SimpleNamespace(**{m.name: m.value for m in enum_cls})


# Passed between the plugin's own effects only; an API request can send plain values, never this.
INTERNAL = object()


def text(value, limit: int) -> str:
    """A value from transition data as text of at most ``limit`` characters."""
    return ("" if value is None else str(value))[:limit]
