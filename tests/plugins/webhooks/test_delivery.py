"""Sending (``plugins/webhooks/delivery.py``) to a real HTTP server on 127.0.0.1: the signature
verifies with the snippet of docs/plugins/webhooks.md, a failing receiver is retried with backoff
(``now`` passed in, never sleeping) until the delivery fails, redirects are not followed, a silent
endpoint postpones its other deliveries, and no run sends what another run has claimed."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
from pathlib import Path

from core import as_system
from core.jobs import run_jobs
from core.models import Estate, Unit
from plugins.webhooks import services
from plugins.webhooks.delivery import Outcome, body_of, deliver_due, sign
from plugins.webhooks.jobs import jobs
from plugins.webhooks.models import Delivery

from .conftest import SECRET, add_endpoint, all_due, deliveries

DOC = Path(__file__).resolve().parents[3] / "docs" / "plugins" / "webhooks.md"


def doc_verify():
    """The ``verify`` function of docs/plugins/webhooks.md, run as a receiver would copy it."""
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    (code,) = [b for b in blocks if "def verify" in b]
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102  (our own documentation)
    return namespace["verify"]


def new_units(session, estate, n=1, floor=8):
    units = [Unit(estate_id=estate.id, building_id=estate.buildings[0].id, room_no=f"{floor}{i:02d}")
             for i in range(n)]
    session.add_all(units)
    session.flush()
    return units


def test_a_delivery_reaches_the_receiver_signed(session, tx, gm, estate_a, receiver):
    endpoint = add_endpoint(session, gm, receiver.url("/wuye/hooks"), "record.created", estate=estate_a)
    (unit,) = new_units(session, estate_a)
    (queued,) = deliveries(session)
    now = all_due(session)

    assert deliver_due(tx, now) == {"sent": 1, "delivered": 1, "retrying": 0, "failed": 0, "postponed": 0,
                                    "purged": 0}
    (request,) = receiver.requests
    headers, body = request["headers"], request["body"]
    assert request["path"] == "/wuye/hooks"
    assert headers["Content-Type"] == "application/json" and headers["User-Agent"] == "Wuye-Webhooks/1"
    assert headers["X-Wuye-Event"] == "record.created" and headers["X-Wuye-Delivery"] == queued.uid
    assert headers["X-Wuye-Timestamp"] == str(int(now.timestamp()))
    assert json.loads(body) == {"id": queued.uid, "event": "record.created", "estate_id": estate_a.id,
                                "record": {"type": "core_units", "id": unit.id}, "actor_id": None,
                                "occurred_at": queued.payload["occurred_at"]}
    verify = doc_verify()
    assert verify(SECRET, body, headers["X-Wuye-Signature"])
    assert headers["X-Wuye-Signature"] == sign(SECRET, body) == "sha256=" + headers["X-Wuye-Signature"][7:]
    assert not verify("another-secret-of-16", body, headers["X-Wuye-Signature"])
    assert not verify(SECRET, body.replace(b'"record.created"', b'"record.creates"'), headers["X-Wuye-Signature"])
    assert not verify(SECRET, body, "")

    (done,) = deliveries(session)
    assert (done.status, done.attempts, done.last_status_code, done.last_error) == ("delivered", 1, 200, "")
    assert done.delivered_at == now and done.last_attempt_at == now and done.next_attempt_at is None
    assert done.endpoint_id == endpoint.id
    assert deliver_due(tx, now + dt.timedelta(hours=1))["sent"] == 0 and len(receiver.requests) == 1


def test_a_failing_receiver_is_retried_with_backoff_then_the_delivery_fails(session, tx, gm, estate_a, receiver):
    receiver.default = 500
    add_endpoint(session, gm, receiver.url(), "record.created", estate=estate_a)
    new_units(session, estate_a)
    now = all_due(session)
    waits = []
    for attempt in range(1, 9):  # max_attempts = 8 by default
        summary = deliver_due(tx, now)
        (d,) = deliveries(session)
        assert d.attempts == attempt and d.last_status_code == 500 and d.last_attempt_at == now
        assert "HTTP 500" in d.last_error and "receiver says 500" in d.last_error
        if attempt < 8:
            assert d.status == "pending" and summary["retrying"] == 1
            waits.append((d.next_attempt_at - now).total_seconds())
            assert deliver_due(tx, d.next_attempt_at - dt.timedelta(seconds=1))["sent"] == 0  # not due yet
            now = d.next_attempt_at
        else:
            assert d.status == "failed" and d.next_attempt_at is None and summary["failed"] == 1
    assert waits == [60, 120, 240, 480, 960, 1920, 3840]  # backoff_seconds doubled after each failure
    assert len(receiver.requests) == 8
    assert len({r["body"] for r in receiver.requests}) == 1  # the same bytes every time...
    assert {r["headers"]["X-Wuye-Delivery"] for r in receiver.requests} == {d.uid}  # ...and the same id
    assert deliver_due(tx, now + dt.timedelta(days=1))["sent"] == 0


def test_a_receiver_that_recovers_gets_the_delivery(session, tx, gm, estate_a, receiver):
    receiver.answers = [503]
    add_endpoint(session, gm, receiver.url(), "record.created", estate=estate_a)
    new_units(session, estate_a)
    now = all_due(session)
    assert deliver_due(tx, now)["retrying"] == 1
    (d,) = deliveries(session)
    assert deliver_due(tx, d.next_attempt_at)["delivered"] == 1
    (d,) = deliveries(session)
    assert (d.status, d.attempts, d.last_status_code, d.last_error) == ("delivered", 2, 200, "")


def test_a_redirect_is_not_followed(session, tx, gm, estate_a, receiver):
    receiver.answers = [302]
    add_endpoint(session, gm, receiver.url(), "record.created", estate=estate_a)
    new_units(session, estate_a)
    deliver_due(tx, all_due(session))
    (d,) = deliveries(session)
    assert d.status == "pending" and d.last_status_code == 302
    assert "redirects to http://127.0.0.1:1/elsewhere are not followed: give the final address" in d.last_error
    assert len(receiver.requests) == 1


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_silent_endpoint_postpones_its_other_deliveries(session, tx, gm, estate_a, receiver):
    dead = add_endpoint(session, gm, f"http://127.0.0.1:{closed_port()}/gone", "record.created", estate=estate_a)
    live = add_endpoint(session, gm, receiver.url(), "record.created", estate=estate_a)
    new_units(session, estate_a, n=3)
    now = all_due(session)
    summary = deliver_due(tx, now)
    assert summary == {"sent": 4, "delivered": 3, "retrying": 1, "failed": 0, "postponed": 2, "purged": 0}
    tried, *waiting = deliveries(session, endpoint_id=dead.id)
    assert tried.attempts == 1 and tried.last_status_code is None and tried.last_error.startswith("no answer")
    assert [(w.attempts, w.next_attempt_at) for w in waiting] == [(0, tried.next_attempt_at)] * 2
    assert {d.status for d in deliveries(session, endpoint_id=live.id)} == {"delivered"}
    assert len(receiver.requests) == 3


def test_deliveries_of_a_deactivated_endpoint_fail_unsent(session, tx, gm, estate_a, receiver):
    endpoint = add_endpoint(session, gm, receiver.url(), "record.created", estate=estate_a)
    new_units(session, estate_a)
    services.update_endpoint(session, gm, endpoint, {"active": False})
    new_units(session, estate_a, floor=9)  # queued for no one: the endpoint is inactive now
    assert deliver_due(tx, all_due(session))["failed"] == 1
    (d,) = deliveries(session)
    assert (d.status, d.attempts, d.last_error) == ("failed", 0, "not sent: the endpoint was deactivated")
    assert receiver.requests == []


def test_no_run_sends_what_another_run_has_claimed(session, tx, gm, estate_a):
    add_endpoint(session, gm, "https://erp.example.com/hooks", "record.created", estate=estate_a)
    new_units(session, estate_a, n=2)
    now = all_due(session)
    overlapping = []

    def send(url, body, headers, timeout):
        # a second run starting while this one's requests are out finds nothing to send
        overlapping.append(deliver_due(tx, now, send=send_nothing))
        return Outcome(204)

    def send_nothing(*args):
        raise AssertionError("a claimed delivery was sent twice")

    assert deliver_due(tx, now, send=send)["delivered"] == 2
    assert [o["sent"] for o in overlapping] == [0, 0]


def test_old_deliveries_leave_the_log(session, tx, gm, estate_a, receiver):
    add_endpoint(session, gm, receiver.url(), "record.created", estate=estate_a)
    new_units(session, estate_a)
    now = all_due(session)
    deliver_due(tx, now)
    assert deliver_due(tx, now + dt.timedelta(days=89))["purged"] == 0
    assert deliver_due(tx, now + dt.timedelta(days=91))["purged"] == 1  # keep_days = 90
    assert deliveries(session) == []


def test_the_body_is_compact_sorted_json():
    assert body_of({"b": 1, "a": "物业"}) == '{"a":"物业","b":1}'.encode()


def test_the_job_sends_in_transactions_of_its_own(committed, receiver):
    """``wuye jobs run webhooks.deliver``: the job leaves its own transaction unused and commits twice."""
    wuye = committed
    (job,) = jobs()
    assert (job.name, job.schedule) == ("webhooks.deliver", "every 1 minutes")
    with wuye.session() as s, as_system(s):
        services.create_endpoint(s, None, {"url": receiver.url(), "events": "record.created", "secret": SECRET})
        s.add(Estate(code="JB", name="Job"))
    with wuye.session() as s:
        now = all_due(s)
    (result,) = run_jobs(wuye, ["webhooks.deliver"], now=now)
    assert result["ok"], result["error"]
    assert result["summary"] == {"sent": 1, "delivered": 1, "retrying": 0, "failed": 0, "postponed": 0,
                                 "purged": 0}
    with wuye.session() as s:
        assert [d.status for d in s.query(Delivery)] == ["delivered"]
    assert receiver.payloads()[0]["record"]["type"] == "core_estates"


def test_each_attempt_is_signed_with_the_current_secret(session, tx, gm, estate_a, receiver):
    endpoint = add_endpoint(session, gm, receiver.url(), "record.created", estate=estate_a)
    new_units(session, estate_a)
    services.update_endpoint(session, gm, endpoint, {"secret": "rotated-secret-0123456789"})
    deliver_due(tx, all_due(session))
    (request,) = receiver.requests
    verify = doc_verify()
    assert verify("rotated-secret-0123456789", request["body"], request["headers"]["X-Wuye-Signature"])
    assert not verify(SECRET, request["body"], request["headers"]["X-Wuye-Signature"])
