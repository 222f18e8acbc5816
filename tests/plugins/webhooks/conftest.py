"""Fixtures of the webhooks' tests: two estates with their staff, endpoints, a real HTTP receiver on
127.0.0.1 (http.server in a thread) and transactions for ``deliver_due`` inside the test's one."""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select

from core import as_system
from core.security.grants import grant
from plugins.webhooks import services
from plugins.webhooks.models import Delivery

SECRET = "s3cret-s3cret-s3cret"


class Receiver:
    """An HTTP server that records every request and answers with the statuses queued in
    ``answers`` (then ``default``); ``url(path)`` is its address."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[int] = []
        self.default = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status = receiver.answers.pop(0) if receiver.answers else receiver.default
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else f"receiver says {status}".encode())

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def url(self, path: str = "/hooks") -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def payloads(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def tx(session):
    """What ``deliver_due`` gets in tests: each transaction a savepoint of the test's transaction."""

    @contextmanager
    def transaction():
        with session.begin_nested():
            yield session

    return transaction


@pytest.fixture
def estate_a(make_estate):
    return make_estate("WA", units=2)


@pytest.fixture
def estate_b(make_estate):
    return make_estate("WB", units=2)


@pytest.fixture
def gm(make_actor):
    """The general manager: every estate, webhooks.view and webhooks.manage by default."""
    return make_actor("general_manager")


@pytest.fixture
def manager_of(make_actor, seeded):
    """``manager_of(estate)``: an office manager of that estate, granted the webhook permissions."""

    with as_system(seeded):
        for permission in ("webhooks.view", "webhooks.manage"):
            grant(seeded, None, "office_manager", permission)

    def make(estate):
        return make_actor("office_manager", estates=[estate])

    return make


def add_endpoint(session, actor, url, events="record.created record.transition billing.payment", estate=None,
                 **extra):
    return services.create_endpoint(session, actor, {"url": url, "events": events, "secret": SECRET,
                                                     "estate_id": estate.id if estate is not None else None,
                                                     **extra})


def deliveries(session, **where) -> list[Delivery]:
    stmt = select(Delivery).order_by(Delivery.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(Delivery, key) == value)
    return list(session.scalars(stmt.execution_options(populate_existing=True)))


def all_due(session):
    """When every pending delivery is due (the tests' ``now``: no wall clock involved)."""
    return max(d.next_attempt_at for d in deliveries(session, status="pending"))
