"""Login rate limits, against guessing one password and against spraying many usernames.

* per username and address: ``MAX_FAILURES`` failed logins for one username from one IP address within
  ``WINDOW`` lock that pair out;
* per address: ``MAX_ADDRESS_FAILURES`` failed logins from one IP address within ``WINDOW``, whatever
  the usernames, lock the whole address out (password spraying: one guess for each of many users).

A lock lasts until enough failures have left the window (at most ``WINDOW`` after the last one);
attempts refused while locked are not checked and not counted. Failures are rows in
``core_login_attempts``, so the limits hold across server processes and restarts. A successful login
clears that username's failures from that address only, so a sprayer who owns one account cannot
reset the address limit by logging into it. Every function takes ``now`` (default
:func:`core.clock.utcnow`), so tests pass the clock in.

Behind a reverse proxy the address is the proxy's unless ``[core] trusted_proxies`` is set: then
every user shares one address and spraying locks everybody out (see README, "Serving behind TLS").
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.clock import utcnow
from core.models.access import LoginAttempt

MAX_FAILURES = 5  # per username and address
MAX_ADDRESS_FAILURES = 20  # per address, any usernames (a shared office address has room for typos)
WINDOW = dt.timedelta(minutes=15)
KEEP = dt.timedelta(days=1)  # older rows are purged when new failures are recorded


@dataclass(frozen=True)
class Lockout:
    """Logins are refused: ``scope`` is ``"user"`` (this username from this address) or ``"address"``."""

    scope: str
    until: dt.datetime

    def seconds_left(self, now: dt.datetime | None = None) -> int:
        return max(1, math.ceil((self.until - (now or utcnow())).total_seconds()))

    def minutes_left(self, now: dt.datetime | None = None) -> int:
        return max(1, math.ceil(self.seconds_left(now) / 60))


def _key(username: str) -> str:
    return username.strip().lower()[:64]


def _locked_until(session: Session, limit: int, now: dt.datetime, *conditions) -> dt.datetime | None:
    # The limit-th most recent failure in the window: while it is inside the window there are at least
    # `limit` failures in it, and the lock lifts when it leaves.
    nth = session.scalar(select(LoginAttempt.attempted_at)
                         .where(*conditions, LoginAttempt.attempted_at > now - WINDOW)
                         .order_by(LoginAttempt.attempted_at.desc()).offset(limit - 1).limit(1))
    return nth + WINDOW if nth is not None else None


def lockout(session: Session, username: str, ip: str, now: dt.datetime | None = None) -> Lockout | None:
    """Why and until when a login of ``username`` from ``ip`` is refused, or None when it may be tried."""
    now = now or utcnow()
    until = _locked_until(session, MAX_ADDRESS_FAILURES, now, LoginAttempt.ip == ip[:64])
    if until is not None:
        return Lockout("address", until)
    until = _locked_until(session, MAX_FAILURES, now, LoginAttempt.username == _key(username),
                          LoginAttempt.ip == ip[:64])
    return Lockout("user", until) if until is not None else None


def is_blocked(session: Session, username: str, ip: str, now: dt.datetime | None = None) -> bool:
    """True when a login of ``username`` from ``ip`` is refused (see :func:`lockout`)."""
    return lockout(session, username, ip, now) is not None


def record_failure(session: Session, username: str, ip: str, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < now - KEEP))
    session.add(LoginAttempt(username=_key(username), ip=ip[:64], attempted_at=now))
    session.flush()


def clear(session: Session, username: str, ip: str) -> None:
    """Forget ``username``'s failures from ``ip`` (after it logged in); other usernames' failures stay."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.username == _key(username),
                                               LoginAttempt.ip == ip[:64]))
