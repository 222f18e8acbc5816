"""Admin list and search over many units, and the API's single-row GET (issue 9 items 3 and 4).

Both run on PostgreSQL through the real Flask app (``core.web.create_app``). The admin is driven
in-process with Flask's test client after a real login through ``/login``; each figure is the p95
of repeated requests beside the p95 of the list's own SQL statement re-executed directly. The API
is served by one gunicorn sync worker on a loopback port (``pip install -e '.[bench]'``) and hit
by a bounded client loop; without gunicorn it is measured in-process and the result says so.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from benchmarks.common import Result, fresh_database, timer
from benchmarks.data import make_estate
from core.models import Role, StaffUser, Unit
from core.seed import seed_all
from core.testing import boot
from core.web import create_app
from core.web.tokens import create_token

ROOT = Path(__file__).resolve().parent.parent
USER, PASSWORD = "bench", "bench-pass-1"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _world(engine, wuye, n_units: int) -> tuple[list[int], str]:
    """Units, a staff user with every estate (general manager) and an API token for it."""
    from argon2 import PasswordHasher

    make_estate(engine, "BM", n_units)
    with Session(engine, info={"wuye": wuye}) as s:
        seed_all(s, wuye)
        role = s.scalar(select(Role).where(Role.name == "general_manager"))
        # cheap argon2 parameters (they travel in the hash): the login is not what is measured
        s.add(StaffUser(username=USER, full_name="Bench", roles=[role], estates=[],
                        password_hash=PasswordHasher(time_cost=1, memory_cost=64, parallelism=1).hash(PASSWORD)))
        s.commit()
        _row, token = create_token(s, USER, name="benchmark")
        s.commit()
        ids = list(s.scalars(select(Unit.id).order_by(func.random()).limit(2000)))
    return ids, token


def _login(app):
    client = app.test_client()
    page = client.get("/login")
    m = CSRF_RE.search(page.text)
    r = client.post("/login", data={"username": USER, "password": PASSWORD, "next": "",
                                    "csrf_token": m.group(1) or m.group(2)})
    assert r.status_code == 302, r.text[:300]
    return client


class SqlCapture:
    """Statements run during requests, so the list's own query can be timed on its own."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append((statement, parameters))

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._record)

    def list_query(self):
        """The last SELECT from core_units with a LIMIT: the page of the list."""
        for statement, params in reversed(self.statements):
            if statement.lstrip().upper().startswith("SELECT") and "FROM core_units" in statement \
                    and "LIMIT" in statement:
                return statement, params
        raise AssertionError("no list query was captured")


def admin(engine, wuye, app, n_units: int, repeat: int) -> list[Result]:
    client = _login(app)
    pages = {"first page": "/admin/core_units/", "deep page": "/admin/core_units/?page=399",
             "search": "/admin/core_units/?search=1201"}
    times: dict[str, list[float]] = {}
    sql: dict[str, tuple] = {}
    for name, url in pages.items():
        capture = SqlCapture(engine)
        for _ in range(3):  # warm up: templates, statement caches, buffers
            assert client.get(url).status_code == 200
        sql[name] = capture.list_query()
        capture.close()
        times[name] = []
        for _ in range(repeat):
            with timer() as t:
                r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)
            times[name].append(t["seconds"])
    direct: dict[str, list[float]] = {}
    with engine.connect() as conn:
        for name, (statement, params) in sql.items():
            direct[name] = []
            for _ in range(repeat):
                with timer() as t:
                    conn.exec_driver_sql(statement, params).all()
                direct[name].append(t["seconds"])
        with timer() as counted:
            conn.exec_driver_sql("SELECT count(*) FROM core_units").scalar()
    first = p95(times["first page"])
    out = []
    for name, target_text, ok in (
        ("first page", "p95 <= 60 ms", lambda v: v <= 0.060),
        ("deep page", "p95 <= 1.1 x first page", lambda v: v <= 1.1 * first),
        ("search", "p95 <= 50 ms", lambda v: v <= 0.050),
    ):
        value, base = p95(times[name]), p95(direct[name])
        out.append(Result(f"admin_units_{name.replace(' ', '_')}", "postgresql", "p95 ms", _ms(value), "ms",
                          baseline="the list's own SQL run directly, p95 ms", baseline_value=_ms(base),
                          ratio=round(value / base, 1), target=target_text, met=ok(value),
                          notes=f"{n_units:,} units; {pages[name]}; median {_ms(statistics.median(times[name]))} ms",
                          extra={"units": n_units, "requests": repeat, "url": pages[name],
                                 "full_count_ms": _ms(counted["seconds"])}))
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn(url: str, tmpdir) -> tuple[subprocess.Popen, int] | None:
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return None
    port = _free_port()
    env = {**os.environ, "WUYE_BENCH_APP_DATABASE_URL": url,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    log = open(Path(tmpdir) / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "1", "--worker-class", "sync",
                             "--bind", f"127.0.0.1:{port}", "--timeout", "60", "benchmarks.wsgi_bench:make_app()"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {log.name}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start within 60 s")


def _http_get(port: int, path: str, token: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def api(engine, app, ids: list[int], token: str, requests: int, seconds: float, tmpdir) -> list[Result]:
    """GET /api/v1/units/<id>: one gunicorn sync worker (new connection per request, as sync workers
    close them) against the same handler in-process through Flask's test client (no HTTP)."""
    rng = random.Random(9)
    paths = [f"/api/v1/units/{rng.choice(ids)}" for _ in range(requests)]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    for p in paths[:20]:
        assert client.get(p, headers=headers).status_code == 200
    inproc = []
    with timer() as t_in:
        for p in paths:
            with timer() as t:
                assert client.get(p, headers=headers).status_code == 200
            inproc.append(t["seconds"])
    in_rate = len(inproc) / t_in["seconds"]
    server = _gunicorn(engine.url.render_as_string(hide_password=False), tmpdir)
    if server is None:
        return [Result("api_unit_get", "postgresql", "requests/s", round(in_rate), "requests/s",
                       baseline="none (gunicorn not installed)", target=">= 600 requests/s, p95 <= 50 ms",
                       met=in_rate >= 600 and p95(inproc) <= 0.050,
                       notes=f"in-process WSGI (Flask test client), not gunicorn; p95 {_ms(p95(inproc))} ms",
                       extra={"p95_ms": _ms(p95(inproc)), "requests": len(inproc)})]
    proc, port = server
    try:
        for p in paths[:20]:
            assert _http_get(port, p, token) == 200
        lat = []
        deadline = time.monotonic() + seconds
        with timer() as t_all:
            for p in paths:
                with timer() as t:
                    status = _http_get(port, p, token)
                assert status == 200, status
                lat.append(t["seconds"])
                if time.monotonic() > deadline:
                    break
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    rate = len(lat) / t_all["seconds"]
    return [Result("api_unit_get", "postgresql", "requests/s", round(rate), "requests/s",
                   baseline="same GET in-process (Flask test client), requests/s", baseline_value=round(in_rate),
                   ratio=round(rate / in_rate, 2), target=">= 600 requests/s, p95 <= 50 ms",
                   met=rate >= 600 and p95(lat) <= 0.050,
                   notes=f"one gunicorn sync worker, one client on loopback; p95 {_ms(p95(lat))} ms "
                         f"(in-process p95 {_ms(p95(inproc))} ms)",
                   extra={"p95_ms": _ms(p95(lat)), "median_ms": _ms(statistics.median(lat)), "requests": len(lat),
                          "inprocess_p95_ms": _ms(p95(inproc))})]


def run(backends: list[str], quick: bool, tmpdir) -> list[Result]:
    if "postgresql" not in backends:
        return []
    n_units = 50_000 if quick else 1_000_000
    wuye = boot([])
    with fresh_database("postgresql", tmpdir) as engine:
        wuye.use_engine(engine)
        ids, token = _world(engine, wuye, n_units)
        app = create_app(wuye, testing=True)
        out = admin(engine, wuye, app, n_units, repeat=30 if quick else 100)
        out += api(engine, app, ids, token, requests=300 if quick else 2000, seconds=20 if quick else 60,
                   tmpdir=tmpdir)
    return out
