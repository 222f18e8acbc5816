"""Login rate limit: at most ``MAX_FAILURES`` failed logins per username and IP in ``WINDOW``.

Failures are rows in ``core_login_attempts``, so the limit holds across server processes and
restarts. A successful login clears that username's failures from that IP.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.web.models import LoginAttempt

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
KEEP = dt.timedelta(days=1)  # older rows are purged when new failures are recorded


def _key(username: str) -> str:
    return username.strip().lower()[:64]


def is_blocked(session: Session, username: str, ip: str) -> bool:
    """True when ``username`` from ``ip`` has failed ``MAX_FAILURES`` times within ``WINDOW``."""
    since = utcnow() - WINDOW
    n = session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.username == _key(username), LoginAttempt.ip == ip[:64], LoginAttempt.attempted_at > since))
    return (n or 0) >= MAX_FAILURES


def record_failure(session: Session, username: str, ip: str) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < utcnow() - KEEP))
    session.add(LoginAttempt(username=_key(username), ip=ip[:64]))
    session.flush()


def clear(session: Session, username: str, ip: str) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.username == _key(username),
                                               LoginAttempt.ip == ip[:64]))
