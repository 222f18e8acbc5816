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

from sqlalchemy import select
from sqlalchemy.orm import Session

from benchmarks.bench_web import CSRF_RE, SqlCapture, _ms, p95
from benchmarks.common import Result, fresh_database, timer
from benchmarks.workplace_data import UNITS_PER_ESTATE, add_business, make_company
from core.models import Estate, Role, StaffUser
from core.seed import seed_all
from core.testing import boot
from core.web import create_app
from core.web.tokens import create_token

PASSWORD = "bench-pass-1"
TARGET_S = 0.100
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


def _urls(rng: random.Random, n_units: int, repeat: int, phones: dict[int, tuple[str, str]]) -> dict:
    """Per benchmark: the URLs of its requests, one varied record each."""
    owned = [u for u in (rng.randint(1, n_units) for _ in range(repeat * 3)) if u % 12][:repeat]
    forms = ("{b}-{e}-{r}", "{b}栋{e}-{r}", "{b}栋{e}单元{r}", "{b}栋{r}")
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
    "inbox_engineer": ("engineer", "待办 of an engineer of one estate"),
    "inbox_manager": ("gm", "待办 of the general manager (every estate)"),
    "home_manager": ("gm", "home page of the general manager (cards and counts)"),
    "api_search": ("token", "GET /api/v1/search, the label forms, bearer token of the general manager"),
    "api_inbox": ("token", "GET /api/v1/inbox, bearer token of the general manager"),
}


def _explain(engine, statements: list[tuple]) -> dict:
    """Time each SELECT of one request on its own; the slowest with its plan."""
    timed = []
    with engine.connect() as conn:
        for statement, params in statements:
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            runs = []
            for _ in range(3):
                with timer() as t:
                    conn.exec_driver_sql(statement, params).all()
                runs.append(t["seconds"])
            timed.append((min(runs), statement, params))
        timed.sort(key=lambda x: -x[0])
        out = {"statements": len(statements), "selects": len(timed),
               "sql_total_ms": _ms(sum(x[0] for x in timed))}
        if timed:
            seconds, statement, params = timed[0]
            plan = [r[0] for r in conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)]
            out.update(slowest_ms=_ms(seconds), slowest_sql=" ".join(statement.split())[:1500],
                       slowest_plan=plan[:40], top5_ms=[_ms(x[0]) for x in timed[:5]])
        conn.rollback()
    return out


def _measure(engine, get, urls: list[str]) -> tuple[list[float] | None, dict]:
    """p95 material for one benchmark: request times, and what one request ran."""
    first = get(urls[0])
    if first.status_code != 200:
        return None, {"status": first.status_code, "url": urls[0]}
    for u in urls[1:3]:
        get(u)
    capture = SqlCapture(engine)
    try:
        get(urls[3 % len(urls)])
    finally:
        capture.close()
    times = []
    for u in urls:
        with timer() as t:
            r = get(u)
        assert r.status_code == 200, (u, r.status_code, r.text[:300])
        times.append(t["seconds"])
    return times, _explain(engine, capture.statements)


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
        times, info = _measure(engine, getter(who), urls_of)
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
                                f"{info['statements']} statements, slowest {info.get('slowest_ms', 0)} ms alone",
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
