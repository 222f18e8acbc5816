"""Test-only plugins for the core workflow tests, and fixtures that boot them.

``wftest`` owns tables ``wftest_*`` (created with ``create_all`` on the test engine) and the
workflow ``wftest.ticket``; ``wfext`` extends it. Import the fixtures into a test module::

    from tests.core.workflow_fixture_plugin import wf_fixture, wf_instance_fixture, wf_tables_fixture  # noqa: F401

(the fixtures are named ``wf``, ``wf_instance`` and ``wf_tables``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from core.db import Base
from core.testing import boot

SEARCH = [(Path(__file__).parent, "tests.core.workflow_fixture_plugin")]

# Import the models now so the session-wide schema (created once per backend) includes them.
from tests.core.workflow_fixture_plugin.wftest import models  # noqa: E402

WfTicket, WfNote, WfArrear = models.WfTicket, models.WfNote, models.WfArrear


def boot_wf(enabled=("wftest", "wfext"), **config):
    """An instance with the fixture plugins (and no in-tree plugin) enabled."""
    return boot(enabled=list(enabled), search=SEARCH, **config)


@dataclass
class WfEnv:
    session: object
    wuye: object
    make_estate: object
    _count: int = 0

    def make_actor(self, *roles: str, estates=()):
        """A staff user with ``roles`` for ``estates`` (no password: hashing is slow and not tested here)."""
        from sqlalchemy import select

        from core.models import Role, StaffUser

        self._count += 1
        user = StaffUser(username=f"s{self._count}_{roles[0]}", full_name=f"Staff {self._count}",
                         roles=list(self.session.scalars(select(Role).where(Role.name.in_(roles)))),
                         estates=list(estates))
        assert {r.name for r in user.roles} == set(roles), "unknown role"
        self.session.add(user)
        self.session.flush()
        return user

    def ticket(self, estate, title="leaking tap", **kw) -> WfTicket:
        t = WfTicket(estate_id=estate.id, title=title, **kw)
        self.session.add(t)
        self.session.flush()
        return t


@pytest.fixture(scope="session", name="wf_instance")
def wf_instance_fixture():
    return boot_wf()


@pytest.fixture(scope="session", name="wf_tables")
def wf_tables_fixture(engine):
    Base.metadata.create_all(engine)  # idempotent; makes sure the wftest tables exist
    return engine


@pytest.fixture(name="wf")
def wf_fixture(wf_tables, wf_instance, seeded, make_estate):
    """The test session re-pointed at the fixture instance, with its permissions seeded."""
    from core.seed import seed_all

    session = seeded
    session.info["wuye"] = wf_instance
    seed_all(session, wf_instance)
    return WfEnv(session=session, wuye=wf_instance, make_estate=make_estate)
