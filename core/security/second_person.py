"""The second person (双人复核) of a sensitive correction, proven by their own login and password.

A cashier's reversal (红冲), a deposit deduction or any act the company wants checked by two people is
confirmed at the same desk: a colleague holding the permission types their own username and password.
The check is a login in all but name, so it obeys the login limits (:mod:`core.security.ratelimit`):
failures are counted per acting staff member (the "address" of the desk) and per username, five wrong
guesses for one username or twenty in all lock the check for 15 minutes. A failure is written once the
caller's transaction has ended, even by a rollback (:func:`core.context.keep_on_error`; the web request
does it at its end, other callers with :func:`core.context.run_kept`), so guessing is never free.
"""

from __future__ import annotations

import functools

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.context import keep_on_error
from core.errors import PermissionDenied, ValidationError
from core.models import StaffUser
from core.scoping import authorize
from core.security import ratelimit
from core.security.passwords import hash_password, verify_password
from core.text import Text


@functools.cache
def _dummy_hash() -> str:
    # checked for an unknown username, so it costs as much as a wrong password (no username probing)
    return hash_password("not-a-real-password")


def _desk(actor) -> str:
    return f"second-person:{getattr(actor, 'id', 'system')}"


def confirm_second_person(session: Session, actor, username: str | None, password: str | None, *,
                          permission: str, target=None, field: str = "second_username") -> StaffUser:
    """The active staff member ``username`` proven by ``password``, who holds ``permission`` for
    ``target`` and is not ``actor``; otherwise a ``ValidationError`` on ``field`` (a wrong username and a
    wrong password give the same message). Nothing is written but the counted failure."""
    username = (username or "").strip()
    if not username or not password:
        raise ValidationError(Text(f"{field}: the second person types their own username and password",
                                   f"{field}: 请复核人输入其本人的账号和密码"), field=field)
    desk = _desk(actor)
    locked = ratelimit.lockout(session, username, desk)
    if locked is not None:
        raise ValidationError(Text(f"{field}: too many wrong passwords; try again in {locked.minutes_left()} minutes",
                                   f"{field}: 密码错误次数过多，请 {locked.minutes_left()} 分钟后再试"), field=field)
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    ok = verify_password(user.password_hash if user is not None else _dummy_hash(), password)
    if not ok or user is None or not user.active:
        # counted after the request's rollback, in its own transaction: a refused guess is not free
        keep_on_error(session, lambda s: ratelimit.record_failure(s, username, desk))
        raise ValidationError(Text(f"{field}: the second person's username or password is wrong",
                                   f"{field}: 复核人账号或密码不正确"), field=field)
    ratelimit.clear(session, username, desk)
    if user.id == getattr(actor, "id", None):
        raise ValidationError(Text(f"{field}: the second person must be someone other than you",
                                   f"{field}: 复核人不能是本人，请由另一位同事确认"), field=field)
    try:
        authorize(session, user, permission, target)
    except PermissionDenied:
        raise ValidationError(Text(f"{field}: {user.full_name or user.username} may not confirm this ({permission})",
                                   f"{field}: {user.full_name or user.username} 无权复核此操作（{permission}）"),
                              field=field) from None
    return user
