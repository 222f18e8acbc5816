"""Fixtures of the attachment tests: storage in a temporary folder, and an instance with the test plugin
``atttest`` whose app's requests share the test's connection (rolled back after each test)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pytest
from sqlalchemy.orm import Session

from core.attachments import LocalStorage, use_storage
from core.db import Base
from core.testing import boot
from tests.core.attachments.fixture_plugin import SEARCH

# Import the models now so the session-wide schema includes the test tables.
from tests.core.attachments.fixture_plugin.atttest.models import AtMemo, AtReport  # noqa: E402,F401

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def image_bytes(size=(640, 480), fmt="JPEG", color=(200, 30, 30), *, orientation: int | None = None,
                mode: str = "RGB") -> bytes:
    """A generated image (Pillow), optionally with an EXIF orientation tag."""
    from PIL import Image

    im = Image.new(mode, size, color)
    out = io.BytesIO()
    kwargs = {}
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kwargs["exif"] = exif
    im.save(out, fmt, **kwargs)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="session")
def att_instance():
    return boot(enabled=["atttest"], search=SEARCH)


@pytest.fixture(scope="session")
def att_tables(engine):
    Base.metadata.create_all(engine)  # idempotent; makes sure the atttest tables exist
    return engine


@pytest.fixture
def files(tmp_path, wuye, att_instance):
    """Attachment storage in a temporary folder, for both the all-plugins and the test instance."""
    storage = LocalStorage(tmp_path / "attachments")
    with use_storage(wuye, storage), use_storage(att_instance, storage):
        yield storage


def stored(storage: LocalStorage) -> list[str]:
    """Keys of the files in ``storage``, sorted."""
    root = storage.root
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@dataclass
class AttWorld:
    session: Session
    wuye: object
    a: object
    b: object
    users: dict = field(default_factory=dict)
    reports: dict = field(default_factory=dict)
    memo_a: object = None


@pytest.fixture
def att(att_tables, att_instance, conn, files):
    """Estates A and B with a report each, a memo in A, and staff: cs_a, cs_a2, guard_a (A), cs_b (B), boss."""
    from sqlalchemy import select

    from core.models import Building, Estate, Role, StaffUser
    from core.seed import seed_all

    s = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False,
                info={"wuye": att_instance})
    seed_all(s, att_instance)
    estates = {}
    for code in ("A", "B"):
        estates[code] = Estate(code=f"AT{code}", name=f"Estate {code}")
        s.add(estates[code])
        s.flush()
        s.add(Building(estate_id=estates[code].id, code="1", name="1栋"))
    roles = {r.name: r for r in s.scalars(select(Role))}
    world = AttWorld(session=s, wuye=att_instance, a=estates["A"], b=estates["B"])
    for name, role, estate in (("cs_a", "cs_specialist", "A"), ("cs_a2", "cs_specialist", "A"),
                               ("guard_a", "guard", "A"), ("cs_b", "cs_specialist", "B"),
                               ("boss", "general_manager", None)):
        user = StaffUser(username=f"att_{name}", full_name=name, roles=[roles[role]],
                         estates=[estates[estate]] if estate else [])
        s.add(user)
        world.users[name] = user
    for code in ("A", "B"):
        world.reports[code] = AtReport(estate_id=estates[code].id, title=f"patrol {code}")
        s.add(world.reports[code])
    world.memo_a = AtMemo(estate_id=estates["A"].id, title="memo")
    s.add(world.memo_a)
    s.commit()
    yield world
    s.close()


_APPS: dict = {}


@pytest.fixture
def att_app(att, att_instance, engine, conn):
    """The Flask app of the test instance, its requests bound to this test's connection."""
    from core.web import create_app

    if engine not in _APPS:
        holder: dict = {}
        _APPS[engine] = (create_app(att_instance, testing=True, session_factory=lambda: holder["factory"]()), holder)
    app, holder = _APPS[engine]
    holder["factory"] = lambda: Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False,
                                        info={"wuye": att_instance})
    return app


@pytest.fixture
def browser(att, att_app):
    """``browser("cs_a")``: a test client logged in as that staff member (session cookie)."""
    from core.web.context import session_stamp

    def login(name: str):
        client = att_app.test_client()
        user = att.users[name]
        with client.session_transaction() as cookie:
            cookie["uid"], cookie["pwv"] = user.id, session_stamp(user)
        return client

    return login


@pytest.fixture
def api(att, att_app):
    """``api("cs_a")``: a test client sending a bearer token of that staff member."""
    from core.web.tokens import create_token

    def make(name: str):
        _row, token = create_token(att.session, att.users[name].username, name="test")
        att.session.commit()
        client = att_app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client

    return make


def csrf_of(page: str) -> str:
    m = CSRF_RE.search(page)
    assert m, "no CSRF token in the page"
    return m.group(1)
