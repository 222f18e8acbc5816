"""Fixtures of the assignment tests: two estates, staff of each, a plumbing team of three at A."""

from __future__ import annotations

import pytest

from core.models.assignment import Team, TeamMember
from tests.core.workflow_fixture_plugin import wf_fixture, wf_instance_fixture, wf_tables_fixture  # noqa: F401


@pytest.fixture
def env(wf):
    wf.a, wf.b = wf.make_estate("A"), wf.make_estate("B")
    wf.sup = wf.make_actor("engineering_supervisor", estates=[wf.a])
    wf.cs_sup = wf.make_actor("cs_supervisor", estates=[wf.a])
    wf.manager = wf.make_actor("office_manager", estates=[wf.a])
    wf.gm = wf.make_actor("general_manager")
    wf.sup_b = wf.make_actor("engineering_supervisor", estates=[wf.b])
    wf.cs_sup_b = wf.make_actor("cs_supervisor", estates=[wf.b])
    wf.t1, wf.t2, wf.t3 = (wf.make_actor("technician", estates=[wf.a]) for _ in range(3))
    wf.tech_b = wf.make_actor("technician", estates=[wf.b])
    wf.team = Team(estate_id=wf.a.id, name="水电班", kind="engineering", supervisor_id=wf.sup.id)
    wf.team.members = [TeamMember(staff_id=t.id, position=i) for i, t in enumerate((wf.t1, wf.t2, wf.t3), 1)]
    wf.team_b = Team(estate_id=wf.b.id, name="水电班", kind="engineering")
    wf.team_b.members = [TeamMember(staff_id=wf.tech_b.id, position=1)]
    wf.session.add_all([wf.team, wf.team_b])
    wf.session.flush()
    return wf


class Collector:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        from email import message_from_bytes, policy

        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real local SMTP server (aiosmtpd) on a free port: ``(controller, collector)``."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()
