"""The staff workplace at a million units (issue 15): the unit page, search and the to-do inbox.

Each figure is the p95 of requests through the real Flask app (``core.web.create_app`` with every
in-tree plugin) by staff logged in through ``/login``, on the world of ``benchmarks.workplace_data``,
beside the p95 of the admin unit list's first page measured by the same client in the same run
(the baseline: the page issue 9 made fast). Target: each p95 <= 100 ms on PostgreSQL.

Requests vary the record (a random unit, owner, label, name or phone tail each time), so the figure
is not one cached row. For each page the statements of one request are recorded and timed again
on their own; the slowest, with its ``EXPLAIN ANALYZE``, is kept in the result's ``extra`` so a slow
page says which query makes it slow (and how many statements it ran: an N+1 shows there).
"""

from __future__ import annotations

import random
import statistics
import time
import traceback
from collections import Counter
from pathlib import Path

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from benchmarks.bench_web import CSRF_RE, _ms, p95
from benchmarks.common import Result, fresh_database, timer
from benchmarks.workplace_data import UNITS_PER_ESTATE, add_business, make_company
from core.models import Estate, Role, StaffUser
from core.seed import seed_all
from core.testing import boot
from core.web import create_app
from core.web.tokens import create_token

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-pass-1"
TARGET_S = 0.100
MIN_REQUESTS = 40  # a benchmark stops after its time budget once it has this many
TARGET = "p95 <= 100 ms"
# (username, role, all estates?): the general manager sees the whole company, the engineer and the
# customer-service specialist one estate, as in a management office
USERS = (("gm", "general_manager", True), ("engineer", "engineer", False), ("clerk", "cs_specialist", False))


def _world(engine, wuye, n_units: int) -> dict:
    from argon2 import PasswordHasher

    from plugins.billing.models import FeeItem

    with timer() as t:
        counts = make_company(engine, n_units)
        with Session(engine, info={"wuye": wuye}) as s:
            seed_all(s, wuye)
            first = s.scalar(select(Estate).where(Estate.code == "E001"))
            # cheap argon2 parameters (they travel in the hash): the login is not what is measured
            hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
            for username, role_name, everywhere in USERS:
                role = s.scalar(select(Role).where(Role.name == role_name))
                s.add(StaffUser(username=username, full_name=username, roles=[role],
                                estates=[] if everywhere else [first], password_hash=hasher.hash(PASSWORD)))
            s.commit()
            _row, token = create_token(s, "gm", name="benchmark")
            s.commit()
            fee = s.scalar(select(FeeItem.id).where(FeeItem.category == "property_service").order_by(FeeItem.id))
        counts.update(add_business(engine, fee))
    counts["seconds"] = round(t["seconds"], 1)
    counts["token"] = token
    return counts


def _login(app, username: str):
    client = app.test_client()
    page = client.get("/login")
    m = CSRF_RE.search(page.text)
    r = client.post("/login", data={"username": username, "password": PASSWORD, "next": "",
                                    "csrf_token": m.group(1) or m.group(2)})
    assert r.status_code == 302, r.text[:300]
    return client


def _label(unit_id: int, n_units: int) -> tuple[int, int, str]:
    """(building, entrance, room) of a unit, by the arithmetic of workplace_data."""
    k = (unit_id - 1) % min(n_units, UNITS_PER_ESTATE) % 500
    building = (unit_id - 1) % min(n_units, UNITS_PER_ESTATE) // 500 + 1
    return building, k % 20 // 10 + 1, f"{k // 20 + 1}{k % 10 + 1:02d}"


FORMS = ("{b}-{e}-{r}", "{b}栋{e}-{r}", "{b}栋{e}单元{r}", "{b}栋{r}")


def _urls(rng: random.Random, n_units: int, repeat: int, phones: dict[int, tuple[str, str]]) -> dict:
    """Per benchmark: the URLs of its requests, one varied record each."""
    owned = [u for u in (rng.randint(1, n_units) for _ in range(repeat * 3)) if u % 12][:repeat]
    forms = FORMS
    labels = []
    for i, u in enumerate(owned):
        b, e, r = _label(u, n_units)
        labels.append(forms[i % len(forms)].format(b=b, e=e, r=r))
    people = list(phones.values())
    return {
        "unit_page": [f"/admin/unit/{u}/" for u in owned],
        "party_page": [f"/admin/party/{u}/" for u in owned],
        "search_label": [f"/admin/search/?q={q}" for q in labels],
        "search_name": [f"/admin/search/?q={people[i % len(people)][0]}" for i in range(repeat)],
        "search_phone_tail": [f"/admin/search/?q={people[i % len(people)][1][-4:]}" for i in range(repeat)],
        "search_document": [f"/admin/search/?q=RN-2026-{(rng.randint(0, n_units // 100 - 1) * 100 + 7):07d}"
                            for _ in range(repeat)],
        "search_clerk": [f"/admin/search/?q={labels[i] if i % 2 else people[i % len(people)][1][-4:]}"
                         for i in range(len(labels))],
        "inbox_engineer": ["/admin/inbox/"] * repeat,
        "inbox_manager": ["/admin/inbox/"] * repeat,
        "home_manager": ["/admin/"] * repeat,
        "api_search": [f"/api/v1/search?q={q}" for q in labels],
        "api_inbox": ["/api/v1/inbox"] * repeat,
    }


# benchmark -> (user, what it is)
WHO = {
    "unit_page": ("gm", "房屋档案 of a random owned unit"),
    "party_page": ("gm", "业主档案 of a random owner"),
    "search_label": ("gm", "a unit label typed 3-1-1201, 3栋1-1201, 3栋1单元1201 or 3栋1201, company-wide"),
    "search_name": ("gm", "an owner's full name, company-wide"),
    "search_phone_tail": ("gm", "the last four digits of an owner's mobile, company-wide"),
    "search_document": ("gm", "a renovation application number RN-2026-..."),
    "search_clerk": ("clerk", "labels and phone tails by a customer-service specialist of one estate (phones masked)"),
    "inbox_engineer": ("engineer", "待办 of an engineer of one estate"),
    "inbox_manager": ("gm", "待办 of the general manager (every estate)"),
    "home_manager": ("gm", "home page of the general manager (cards and counts)"),
    "api_search": ("token", "GET /api/v1/search, the label forms, bearer token of the general manager"),
    "api_inbox": ("token", "GET /api/v1/inbox, bearer token of the general manager"),
}


class Recorder:
    """Every statement of every request with its time, so the slowest request can say what made it slow."""

    def __init__(self, engine):
        self.engine, self.requests = engine, []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def begin(self) -> None:
        self.requests.append([])

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        if self.requests:
            self.requests[-1].append((time.perf_counter() - conn.info.pop("bench_started"), statement, parameters))

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


def _analysis(engine, times: list[float], urls: list[str], requests: list[list[tuple]]) -> dict:
    """What the slowest request ran: its statements, the most repeated one (an N+1 shows there) and
    the slowest one with its ``EXPLAIN ANALYZE``."""
    worst = max(range(len(times)), key=times.__getitem__)
    ran = requests[worst]
    repeated = Counter(" ".join(statement.split()) for _s, statement, _p in ran).most_common(1)
    out = {"statements": round(statistics.median(len(r) for r in requests)), "slowest_request_url": urls[worst],
           "slowest_request_ms": _ms(times[worst]), "slowest_request_statements": len(ran),
           "slowest_request_sql_ms": _ms(sum(x[0] for x in ran))}
    if repeated:
        sql = repeated[0][0]
        out.update(most_repeated_times=repeated[0][1], most_repeated_sql=sql[:300] + " ... " + sql[sql.find(" FROM "):][:500])
    selects = [x for x in ran if x[1].lstrip().upper().startswith(("SELECT", "WITH"))]
    if selects:
        seconds, statement, params = max(selects, key=lambda x: x[0])
        with engine.connect() as conn:
            plan = [r[0] for r in conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)]
            conn.rollback()
        out.update(slowest_ms=_ms(seconds), slowest_sql=" ".join(statement.split())[:1500], slowest_params=str(params),
                   slowest_plan=plan[:40])
    return out


def _issued_from(engine, get, url: str, sql: str) -> list[str]:
    """Replay one request and say which lines of Wuye ran ``sql`` (normalised): the N+1's call site.
    Done after the timing, because walking the stack of every statement would slow the requests."""
    sites: Counter = Counter()

    def before(conn, cursor, statement, parameters, context, executemany):
        if " ".join(statement.split()) == sql:
            frames = [f for f in traceback.extract_stack() if f"{ROOT}/core/" in f.filename
                      or f"{ROOT}/plugins/" in f.filename]
            sites[" <- ".join(f"{Path(f.filename).relative_to(ROOT)}:{f.lineno} {f.name}"
                              for f in reversed(frames[-4:]))] += 1

    event.listen(engine, "before_cursor_execute", before)
    try:
        get(url)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return [f"{n} x {site}" for site, n in sites.most_common(3)]


def _measure(engine, get, urls: list[str], groups: list[str] | None = None, budget: float = 30.0
             ) -> tuple[list[float] | None, dict]:
    """Request times of one benchmark and what its slowest request ran; a redirect (a search that
    opens its only hit) counts as the answer, it is not followed."""
    first = get(urls[0])
    if first.status_code not in (200, 302):
        return None, {"status": first.status_code, "url": urls[0]}
    for u in urls[1:3]:
        get(u)
    recorder = Recorder(engine)
    times = []
    deadline = time.monotonic() + budget
    try:
        for u in urls:
            if len(times) >= MIN_REQUESTS and time.monotonic() > deadline:
                break  # a slow page: enough requests for a p95 within the run's time
            recorder.begin()
            with timer() as t:
                r = get(u)
            assert r.status_code in (200, 302), (u, r.status_code, r.text[:300])
            times.append(t["seconds"])
    finally:
        recorder.close()
    urls = urls[:len(times)]
    info = _analysis(engine, times, urls, recorder.requests)
    if info.get("most_repeated_times", 0) > 3:
        worst = max(range(len(times)), key=times.__getitem__)
        ran = Counter(" ".join(st.split()) for _s, st, _p in recorder.requests[worst]).most_common(1)[0][0]
        info["most_repeated_from"] = _issued_from(engine, get, urls[worst], ran)
    if groups:
        groups = groups[:len(times)]
        info["p95_ms_by_form"] = {g: _ms(p95([t for t, h in zip(times, groups, strict=True) if h == g]))
                                  for g in dict.fromkeys(groups)}
    return times, info


def workplace(engine, app, world: dict, n_units: int, repeat: int) -> list[Result]:
    rng = random.Random(15)
    with engine.connect() as conn:
        sample = [rng.randint(1, n_units) for _ in range(repeat)]
        rows = conn.exec_driver_sql("SELECT u.id, p.name, p.phone FROM core_parties p JOIN core_units u "
                                    "ON u.id = p.id WHERE p.id = ANY(%(ids)s)", {"ids": sample}).all()
    phones = {r[0]: (r[1], r[2]) for r in rows}
    urls = _urls(rng, n_units, repeat, phones)
    clients = {name: _login(app, name) for name, _, _ in USERS}
    token_client = app.test_client()
    bearer = {"Authorization": f"Bearer {world['token']}"}

    def getter(who):
        if who == "token":
            return lambda u: token_client.get(u, headers=bearer)
        return clients[who].get

    base_times, base_sql = _measure(engine, getter("gm"), ["/admin/core_units/"] * repeat)
    base = p95(base_times)
    scale = f"{n_units:,} units in {-(-n_units // UNITS_PER_ESTATE)} estates"
    out = [Result("workplace_baseline_unit_list", "postgresql", "p95 ms", _ms(base), "ms",
                  baseline="(the baseline of the rows below)", target="-", met=None,
                  notes=f"{scale}; /admin/core_units/ first page as the general manager; "
                        f"median {_ms(statistics.median(base_times))} ms",
                  extra={"units": n_units, "requests": repeat, **base_sql})]
    for name, urls_of in urls.items():
        who, what = WHO[name]
        forms = [FORMS[i % len(FORMS)] for i in range(len(urls_of))] if name in ("search_label", "api_search") else None
        times, info = _measure(engine, getter(who), urls_of, forms)
        if times is None:
            out.append(Result(f"workplace_{name}", "postgresql", "p95 ms", 0, "ms",
                              baseline="admin unit list first page, p95 ms", baseline_value=_ms(base),
                              target=TARGET, met=None, notes=f"not measured: {info['url']} answered {info['status']}",
                              extra={"units": n_units, **info}))
            continue
        value = p95(times)
        out.append(Result(f"workplace_{name}", "postgresql", "p95 ms", _ms(value), "ms",
                          baseline="admin unit list first page, p95 ms", baseline_value=_ms(base),
                          ratio=round(value / base, 2), target=TARGET, met=value <= TARGET_S,
                          notes=f"{scale}; {what}; median {_ms(statistics.median(times))} ms; "
                                f"{info['statements']} statements (median); slowest request {info['slowest_request_ms']} ms, "
                                f"its slowest statement {info.get('slowest_ms', 0)} ms",
                          extra={"units": n_units, "requests": len(times), "user": who,
                                 "example_url": urls_of[0], **info}))
    return out


def run(backends: list[str], quick: bool, tmpdir) -> list[Result]:
    if "postgresql" not in backends:
        return []
    n_units = 50_000 if quick else 1_000_000
    wuye = boot()
    with fresh_database("postgresql", tmpdir) as engine:
        wuye.use_engine(engine)
        world = _world(engine, wuye, n_units)
        app = create_app(wuye, testing=True)
        out = workplace(engine, app, world, n_units, repeat=30 if quick else 100)
        token = world.pop("token")
        assert token
        out[0].extra["world"] = world
    return out
