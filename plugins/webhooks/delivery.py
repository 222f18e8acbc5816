"""Sending what is queued: the job ``webhooks.deliver`` (every minute) and ``wuye webhooks deliver``.

Each delivery is one ``POST`` to its endpoint's URL. The body is the delivery's payload as compact
JSON (UTF-8, keys sorted), the same bytes on every attempt, with these headers:

* ``Content-Type: application/json``, ``User-Agent: Wuye-Webhooks/1``;
* ``X-Wuye-Event``: the event type (``record.created``, ``record.transition``, ``billing.payment``);
* ``X-Wuye-Delivery``: the delivery's id (also the body's ``id``): receivers de-duplicate on it,
  since a delivery whose answer was lost is sent again;
* ``X-Wuye-Timestamp``: when this attempt was made (Unix seconds);
* ``X-Wuye-Signature``: ``sha256=`` and the hex HMAC-SHA256 of the raw body keyed with the
  endpoint's secret (:func:`sign`).

A 2xx answer delivers it. Anything else (another status, a redirect, which is never followed, a
timeout, a refused connection) is a failed attempt: the next one waits ``backoff_seconds`` doubled
after each failure (1, 2, 4, 8 ... minutes by default), and after ``max_attempts`` the delivery is
``failed``. When an endpoint does not answer at all, its other deliveries of the run are postponed
to the same time instead of each waiting for the timeout.

No database transaction stays open while a request is out (on SQLite every transaction holds the
write lock): a run claims the due deliveries in one short transaction (moving their
``next_attempt_at`` past the run, so a concurrent run skips them; on PostgreSQL ``SKIP LOCKED``
too), sends them, then records the outcomes in another. A run that dies in between leaves its
claimed deliveries to be sent again once the claim expires.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core import settings_of, wuye_of
from plugins.webhooks.models import Delivery, Endpoint
from plugins.webhooks.settings import DEFAULTS

USER_AGENT = "Wuye-Webhooks/1"
ERROR_TEXT = 500  # characters of an error (or of the receiver's answer) kept in the log

Transaction = Callable[[], AbstractContextManager[Session]]


def body_of(payload: dict) -> bytes:
    """The exact bytes sent (and signed) for a payload."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign(secret: str, body: bytes) -> str:
    """The ``X-Wuye-Signature`` value of ``body``: ``sha256=<hex HMAC-SHA256>`` keyed with ``secret``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def backoff(settings: dict, attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed attempt: ``backoff_seconds`` doubled each time."""
    return dt.timedelta(seconds=settings["backoff_seconds"] * 2 ** max(attempts - 1, 0))


@dataclass(frozen=True)
class Outcome:
    """What one request gave: the HTTP status (None: no answer) and, unless 2xx, what went wrong."""

    status: int | None
    error: str = ""

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a 3xx answer stays an HTTPError: a signed POST is never replayed elsewhere


_OPENER = urllib.request.build_opener(_NoRedirects)


def post(url: str, body: bytes, headers: dict, timeout: float) -> Outcome:
    """POST ``body`` to ``url``; never raises for what the network or the receiver does."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Outcome(response.status)
    except urllib.error.HTTPError as exc:
        try:
            answer = exc.read(ERROR_TEXT).decode("utf-8", "replace").strip()
        except (OSError, http.client.HTTPException):
            answer = ""
        where = f" to {exc.headers.get('Location')}" if 300 <= exc.code < 400 and exc.headers else ""
        hint = f" (redirects{where} are not followed: give the final address)" if where else ""
        return Outcome(exc.code, f"HTTP {exc.code} {exc.reason}{hint}{': ' + answer if answer else ''}"[:ERROR_TEXT])
    except urllib.error.URLError as exc:
        return Outcome(None, f"no answer: {exc.reason}"[:ERROR_TEXT])
    except (OSError, ValueError, http.client.HTTPException) as exc:
        return Outcome(None, f"no answer: {type(exc).__name__}: {exc}"[:ERROR_TEXT])


def headers_for(delivery_uid: str, event: str, secret: str, body: bytes, now: dt.datetime) -> dict:
    return {"Content-Type": "application/json", "User-Agent": USER_AGENT, "X-Wuye-Event": event,
            "X-Wuye-Delivery": delivery_uid, "X-Wuye-Timestamp": str(int(now.timestamp())),
            "X-Wuye-Signature": sign(secret, body)}


@dataclass
class _Job:
    id: int
    uid: str
    event: str
    endpoint_id: int
    url: str
    secret: str
    body: bytes


def _claim(session: Session, now: dt.datetime, settings: dict) -> tuple[list[_Job], int]:
    """Select the due deliveries and move them past this run; deliveries of inactive endpoints fail."""
    stmt = (select(Delivery, Endpoint).join(Endpoint, Endpoint.id == Delivery.endpoint_id)
            .where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
            .order_by(Delivery.next_attempt_at, Delivery.id).limit(settings["batch_size"]))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Delivery, skip_locked=True)
    lease = now + dt.timedelta(seconds=settings["timeout_seconds"] * (settings["batch_size"] + 1))
    jobs, dropped = [], 0
    for delivery, endpoint in session.execute(stmt).all():
        if not endpoint.active:
            delivery.status, delivery.next_attempt_at = "failed", None
            delivery.last_error = "not sent: the endpoint was deactivated"
            dropped += 1
            continue
        delivery.next_attempt_at = lease
        jobs.append(_Job(delivery.id, delivery.uid, delivery.event, endpoint.id, endpoint.url,
                         endpoint.signing_secret, body_of(delivery.payload)))
    session.flush()
    return jobs, dropped


def _record(session: Session, outcomes: dict[int, Outcome], postponed: dict[int, int], now: dt.datetime,
            settings: dict) -> dict:
    summary = {"delivered": 0, "retrying": 0, "failed": 0, "postponed": len(postponed)}
    ids = list(outcomes) + list(postponed)
    found = {d.id: d for d in session.scalars(select(Delivery).where(Delivery.id.in_(ids)))} if ids else {}
    retry_at: dict[int, dt.datetime] = {}
    for delivery_id, outcome in outcomes.items():
        d = found[delivery_id]
        d.attempts += 1
        d.last_attempt_at, d.last_status_code = now, outcome.status
        if outcome.delivered:
            d.status, d.delivered_at, d.next_attempt_at, d.last_error = "delivered", now, None, ""
            summary["delivered"] += 1
        elif d.attempts >= settings["max_attempts"]:
            d.status, d.next_attempt_at, d.last_error = "failed", None, outcome.error
            summary["failed"] += 1
        else:
            d.next_attempt_at, d.last_error = now + backoff(settings, d.attempts), outcome.error
            retry_at[delivery_id] = d.next_attempt_at
            summary["retrying"] += 1
    for delivery_id, after in postponed.items():
        found[delivery_id].next_attempt_at = retry_at.get(after, now + backoff(settings, 1))
    session.flush()
    return summary


def purge(session: Session, now: dt.datetime, settings: dict) -> int:
    """Remove delivered and failed deliveries older than ``keep_days`` from the log."""
    cutoff = now - dt.timedelta(days=settings["keep_days"])
    result = session.execute(delete(Delivery).where(Delivery.status.in_(("delivered", "failed")),
                                                    Delivery.created_at < cutoff)
                             .execution_options(synchronize_session=False))
    return result.rowcount or 0


def deliver_due(transaction: Transaction, now: dt.datetime, *, send: Callable = post) -> dict:
    """Send every delivery due at ``now`` (at most ``batch_size``); returns what happened.

    ``transaction()`` gives a session in a transaction of its own, committed when the block ends
    (``wuye.session``); it is called twice, around the requests, never during them.
    """
    with transaction() as session:
        settings = {**DEFAULTS, **settings_of(session, "webhooks", DEFAULTS)}
        jobs, dropped = _claim(session, now, settings)
    outcomes: dict[int, Outcome] = {}
    postponed: dict[int, int] = {}  # delivery id -> the delivery whose endpoint did not answer
    silent: dict[int, int] = {}  # endpoint id -> that delivery
    for job in jobs:
        if job.endpoint_id in silent:
            postponed[job.id] = silent[job.endpoint_id]
            continue
        outcome = send(job.url, job.body, headers_for(job.uid, job.event, job.secret, job.body, now),
                       settings["timeout_seconds"])
        outcomes[job.id] = outcome
        if outcome.status is None:
            silent[job.endpoint_id] = job.id
    with transaction() as session:
        summary = _record(session, outcomes, postponed, now, settings)
        summary["failed"] += dropped
        summary["purged"] = purge(session, now, settings)
    return {"sent": len(outcomes), **summary}


def deliver_job(session: Session, now: dt.datetime) -> dict:
    """The job ``webhooks.deliver``: :func:`deliver_due` in transactions of its own, so the job's
    transaction (which it leaves unused) holds no lock while requests are out."""
    return deliver_due(wuye_of(session).session, now)
