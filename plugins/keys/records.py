"""What a keys service is handed, loaded and checked before it writes anything: the record (by id
or instance, under a row lock when the change must not race), the staff member named on a
register line, times with their zone, counts and text. Each check raises a ``ValidationError``
naming the field, so a refused call changes nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from core import NotFound, Text, ValidationError
from core.models import StaffUser


def get(session: Session, model: type, ident, *, lock: bool = False, what: str = "record"):
    """Load ``model`` by id (or pass an instance through); ``lock`` takes a row lock (FOR UPDATE).

    Lending, returns and sealing lock the key set first: two desks acting on the same key at the
    same moment then queue, and the second one sees the first one's change.
    """
    if isinstance(ident, model):
        if lock:
            session.flush()
            session.refresh(ident, with_for_update=True)
        return ident
    obj = session.get(model, ident, with_for_update=lock or None)
    if obj is None:
        raise NotFound(Text(f"no {what} with id {ident!r}", f"找不到编号为 {ident!r} 的记录"))
    return obj


def staff(session: Session, staff_id, field: str) -> StaffUser:
    """An active staff member by id (approver, escort, witness ...), or a ValidationError naming ``field``."""
    if isinstance(staff_id, StaffUser):
        return staff_id
    user = session.get(StaffUser, staff_id) if staff_id is not None else None
    if user is None or not user.active:
        raise ValidationError(Text(f"no active staff member with id {staff_id!r}", f"没有编号为 {staff_id!r} 的在职员工"), field=field)
    return user


def aware(value: dt.datetime | None, field: str) -> dt.datetime | None:
    """Refuse naive datetimes with a message naming the field (the database stores UTC)."""
    if value is not None and value.tzinfo is None:
        raise ValidationError(Text("give a time with its time zone (e.g. 2026-03-01T14:00:00+08:00)", "请填写带时区的时间（例如 2026-03-01T14:00:00+08:00）"), field=field)
    return value


def is_count(value, minimum: int = 1) -> bool:
    """True for a whole number (not a bool) of at least ``minimum``."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def stripped(value: str | None) -> str:
    """Text as written on the register, without surrounding blanks ("" for None)."""
    return (value or "").strip()
