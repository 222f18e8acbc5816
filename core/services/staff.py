"""Staff accounts: creation with roles and estate assignments, password changes, ending sessions."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from core.errors import Conflict, ValidationError
from core.models import Estate, Role, StaffUser
from core.security.passwords import MIN_LENGTH, hash_password


def create_staff(session: Session, username: str, password: str, *, roles: list[str], estates: list[str] = (),
                 full_name: str = "", employee_no: str = "", allow_short_password: bool = False) -> StaffUser:
    """Create a staff login with roles (by name) and estates (by code). Nothing is written on error."""
    username = username.strip()
    if not username or len(username) > 64 or not username.replace("_", "").replace(".", "").replace("-", "").isalnum():
        raise ValidationError("use 1-64 letters, digits, '.', '-' or '_'", field="username")
    if len(password) < MIN_LENGTH and not allow_short_password:
        raise ValidationError(f"the password needs at least {MIN_LENGTH} characters", field="password")
    if session.scalar(select(StaffUser.id).where(StaffUser.username == username)) is not None:
        raise Conflict(f"a staff user named '{username}' already exists", field="username")
    role_rows = list(session.scalars(select(Role).where(Role.name.in_(roles))))
    missing = sorted(set(roles) - {r.name for r in role_rows})
    if missing:
        raise ValidationError(f"unknown role(s) {', '.join(missing)}; run `wuye db upgrade` to seed roles, "
                              "or see `wuye roles list`", field="role")
    estate_rows = list(session.scalars(select(Estate).where(Estate.code.in_(list(estates)))))
    missing = sorted(set(estates) - {e.code for e in estate_rows})
    if missing:
        raise ValidationError(f"unknown estate code(s) {', '.join(missing)}; see `wuye estates list`", field="estate")
    if not estate_rows and not any(r.all_estates for r in role_rows):
        raise ValidationError("staff of an office-level role must be assigned at least one estate (--estate CODE)",
                              field="estate")
    user = StaffUser(username=username, full_name=full_name or username, employee_no=employee_no,
                     password_hash=hash_password(password), roles=role_rows, estates=estate_rows)
    session.add(user)
    session.flush()
    return user


def end_sessions(session: Session, user: StaffUser) -> None:
    """End every session of ``user``: session cookies issued before this call are refused from now on.

    Bumps ``session_generation`` with an ``UPDATE ... + 1`` (two logouts at once both count), outside the
    ORM's change tracking: ending a session is not an edit of the staff record for the activity trail.
    """
    bump = (update(StaffUser).where(StaffUser.id == user.id)
            .values(session_generation=StaffUser.session_generation + 1)
            .execution_options(synchronize_session=False))
    session.execute(bump)
    generation = session.scalar(select(StaffUser.session_generation).where(StaffUser.id == user.id))
    set_committed_value(user, "session_generation", generation)


def change_password(session: Session, user: StaffUser, new_password: str) -> None:
    """Set ``user``'s password and end all of their sessions (the caller re-issues its own cookie)."""
    if len(new_password) < MIN_LENGTH:
        raise ValidationError(f"the password needs at least {MIN_LENGTH} characters", field="password")
    user.password_hash = hash_password(new_password)
    end_sessions(session, user)
