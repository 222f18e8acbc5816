"""The escalation chain: each level at its own delay, each level notified (the role and the assignee),
paused deadlines never escalated; deliveries go out through SMTP (aiosmtpd) and the SMS log gateway."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import select

from core.activity import timeline
from core.assignment import assign
from core.assignment.escalation import escalate_overdue
from core.models.notification import DeliveryStatus, Notification
from core.models.workflow import WorkflowHistory
from core.notifications.delivery import deliver_due
from core.notifications.sending import record_label
from core.notifications.settings import merged
from core.workflow import Deadline
from core.workflow.deadlines import encode_chain, open_deadline, pause, resume
from core.workflow.definitions import Escalation
from tests.core.workflow_fixture_plugin import WfTicket

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
SEC, MIN = dt.timedelta(seconds=1), dt.timedelta(minutes=1)
CHAIN = (Escalation("cs_supervisor", 0), Escalation("office_manager", 60), Escalation("general_manager", 240))


def smtp_settings(port: int) -> dict:
    return merged({"smtp": {"host": "127.0.0.1", "port": port, "from_address": "wuye@example.com", "timeout": 5}})


def chained(env, due=T0):
    """A ticket of estate A held by technician t1, its deadline due at ``due`` with the three-level chain."""
    t = env.ticket(env.a)
    assign(env.session, t, assignee=env.t1, team=env.team, actor=env.sup, now=due - 10 * MIN)
    row = open_deadline(env.session, t)
    row.due_at, row.chain = due, encode_chain(CHAIN)
    env.session.flush()
    return t, row


def told(env, **where) -> set[tuple[int, str]]:
    q = select(Notification).where(Notification.event == "core.deadline_escalated",
                                   *[getattr(Notification, k) == v for k, v in where.items()])
    return {(n.staff_id, n.channel) for n in env.session.scalars(q)}


def inapp(env, since_id=0) -> list[int]:
    return sorted(n.staff_id for n in env.session.scalars(select(Notification).where(
        Notification.event == "core.deadline_escalated", Notification.channel == "inapp", Notification.id > since_id)))


def last_id(env) -> int:
    return env.session.scalar(select(Notification.id).order_by(Notification.id.desc()).limit(1)) or 0


def test_a_chain_is_validated():
    assert Deadline(hours=1).levels("office_manager") == (Escalation("office_manager", 0),)
    assert Deadline(hours=1, escalate_to="cs_supervisor").levels("x") == (Escalation("cs_supervisor", 0),)
    assert Deadline(hours=1, chain=CHAIN).levels("x") == CHAIN
    assert Deadline(hours=1, chain=list(CHAIN)) == Deadline(hours=1, chain=CHAIN)  # a list is kept as a tuple
    assert hash(Deadline(hours=1, chain=list(CHAIN)))
    with pytest.raises(ValueError, match="not both"):
        Deadline(hours=1, escalate_to="cs_supervisor", chain=CHAIN)
    with pytest.raises(ValueError, match="in order"):
        Deadline(hours=1, chain=(Escalation("office_manager", 60), Escalation("cs_supervisor", 0)))
    with pytest.raises(ValueError, match="negative"):
        Escalation("cs_supervisor", -5)
    with pytest.raises(ValueError, match="Escalation"):
        Deadline(hours=1, chain=("cs_supervisor",))


def test_each_level_escalates_at_its_own_delay_and_tells_its_role_and_the_assignee(env):
    t, row = chained(env)
    assert escalate_overdue(env.session, T0 - SEC)["escalated"] == 0
    first = escalate_overdue(env.session, T0 + SEC)
    assert [(i["level"], i["escalate_to"]) for i in first["items"]] == [(1, "cs_supervisor")]
    assert first["items"][0]["notified"] == 6  # 2 people x (in-app, e-mail, SMS); no address = a skipped row
    assert inapp(env) == sorted([env.t1.id, env.cs_sup.id])  # not estate B's cs supervisor
    assert (row.escalation_level, row.escalate_to, row.escalated_at) == (1, "cs_supervisor", T0 + SEC)
    mark = last_id(env)
    assert escalate_overdue(env.session, T0 + 59 * MIN)["escalated"] == 0
    assert [i["escalate_to"] for i in escalate_overdue(env.session, T0 + 60 * MIN)["items"]] == ["office_manager"]
    assert inapp(env, mark) == sorted([env.t1.id, env.manager.id])
    mark = last_id(env)
    assert escalate_overdue(env.session, T0 + 239 * MIN)["escalated"] == 0
    assert [i["escalate_to"] for i in escalate_overdue(env.session, T0 + 240 * MIN)["items"]] == ["general_manager"]
    assert inapp(env, mark) == sorted([env.t1.id, env.gm.id])
    assert escalate_overdue(env.session, T0 + 2000 * MIN)["escalated"] == 0  # the chain is done
    assert (row.escalation_level, row.escalate_to, row.escalated_at) == (3, "general_manager", T0 + SEC)
    steps = [h.comment for h in env.session.scalars(select(WorkflowHistory).where(
        WorkflowHistory.record_id == t.id, WorkflowHistory.transition == "escalate").order_by(WorkflowHistory.id))]
    assert len(steps) == 3 and "escalated to office_manager (level 2)" in steps[1]
    assert [e.detail for e in timeline(env.session, WfTicket, t.id) if e.action == "escalate"] == [
        "cs_supervisor", "office_manager", "general_manager"]


def test_the_message_says_what_is_late_by_how_much_and_to_whom(env):
    t, _row = chained(env)
    escalate_overdue(env.session, T0 + 61 * MIN)  # the job was down: levels 1 and 2 at once
    n = env.session.scalar(select(Notification).where(Notification.staff_id == env.manager.id,
                                                      Notification.channel == "inapp"))
    assert n.subject == f"【超时升级】{record_label(t)} 已超时 61 分钟"
    # roles, workflows and states by their Chinese names, never as codes
    assert "已升级至第 2 级：管理处经理" in n.body and f"处理人：{env.t1}" in n.body
    assert "office_manager" not in n.body
    assert (n.record_table, n.record_id, n.estate_id) == ("wftest_tickets", t.id, env.a.id)


def test_a_paused_deadline_is_not_escalated_and_resumes_with_its_time(env):
    t, row = chained(env)
    pause(env.session, row, T0 - 5 * MIN)
    assert escalate_overdue(env.session, T0 + 300 * MIN)["escalated"] == 0
    assert told(env) == set()
    resume(env.session, row, T0 + 60 * MIN)  # 65 minutes paused: due at 10:05
    assert row.due_at == T0 + 65 * MIN
    assert escalate_overdue(env.session, T0 + 64 * MIN)["escalated"] == 0
    assert escalate_overdue(env.session, T0 + 66 * MIN)["escalated"] == 1


def test_without_a_chain_escalate_to_is_the_single_level_and_is_told(env):
    t = env.ticket(env.a)  # "new": 3 minutes, escalate_to cs_supervisor
    row = open_deadline(env.session, t)
    assert row.chain == "cs_supervisor:0"
    result = escalate_overdue(env.session, row.due_at + SEC)
    assert result["escalated"] == 1 and result["items"][0]["level"] == 1
    assert inapp(env) == [env.cs_sup.id]  # nobody holds it: only the role
    assert escalate_overdue(env.session, row.due_at + 600 * MIN)["escalated"] == 0


def test_the_holder_is_frozen_once_the_deadline_breached(env):
    t, row = chained(env)
    escalate_overdue(env.session, T0 + SEC)
    assign(env.session, t, assignee=env.t2, actor=env.sup, reason="t1 could not make it", now=T0 + 2 * MIN)
    env.session.refresh(row)
    assert row.assignee_id == env.t1.id  # t1 held it when it breached


def test_the_job_is_the_assignment_one(env):
    job = env.wuye.registry.jobs["core.escalate_overdue"]
    assert job.func is escalate_overdue


def test_an_escalation_is_delivered_by_smtp_and_by_the_sms_log_gateway(env, smtp_server, caplog):
    controller, handler = smtp_server
    env.cs_sup.email, env.cs_sup.mobile, env.cs_sup.full_name = "cs.sup@example.com", "13900000009", "客服主管甲"
    env.t1.mobile = "13900000001"  # no e-mail on file: his e-mail is skipped with the reason
    t, row = chained(env)
    escalate_overdue(env.session, T0 + SEC)
    assert told(env) == {(env.t1.id, "inapp"), (env.t1.id, "email"), (env.t1.id, "sms"),
                         (env.cs_sup.id, "inapp"), (env.cs_sup.id, "email"), (env.cs_sup.id, "sms")}
    skipped = env.session.scalar(select(Notification).where(Notification.staff_id == env.t1.id,
                                                            Notification.channel == "email"))
    assert skipped.status == DeliveryStatus.skipped and "e-mail" in skipped.last_error
    with caplog.at_level(logging.INFO, logger="wuye.notifications"):
        summary = deliver_due(env.session, T0 + MIN, settings=smtp_settings(controller.port))
    assert summary == {"sent": 3, "failed": 0, "retrying": 0}  # 1 e-mail + 2 SMS
    [(_sender, to, msg)] = handler.messages
    assert to == ["cs.sup@example.com"] and msg["Subject"] == f"【超时升级】{record_label(t)} 已超时 0 分钟"
    assert "已升级至第 1 级：客服主管" in msg.get_content()
    logged = [r.getMessage() for r in caplog.records if r.name == "wuye.notifications"]
    assert any(m.startswith("sms to 13900000009: 【超时升级】") for m in logged)
    assert any(m.startswith("sms to 13900000001: 【超时升级】") for m in logged)


def test_a_state_with_a_chain_opens_its_deadline_with_the_chain_and_the_holder(env):
    from core.workflow import State, Transition, Workflow
    from core.workflow.deadlines import on_transition

    flow = Workflow(name="wftest.chained", model=WfTicket, states=[
        State("new", "New", "新建", initial=True),
        State("dispatched", "Dispatched", "已派工", deadline=Deadline(minutes=30, chain=CHAIN))],
        transitions=[Transition("dispatch", ("new",), "dispatched", "wftest.dispatch")])
    t = env.ticket(env.a)
    assign(env.session, t, assignee=env.t1, team=env.team, actor=env.sup, now=T0)
    row = on_transition(env.session, flow, t, flow.transition("dispatch"), T0)
    env.session.flush()
    assert row.chain == "cs_supervisor:0,office_manager:60,general_manager:240"
    assert (row.escalate_to, row.escalation_level, row.due_at) == ("cs_supervisor", 0, T0 + 30 * MIN)
    assert (row.assignee_id, row.team_id) == (env.t1.id, env.team.id)
    assert [i["escalate_to"] for i in escalate_overdue(env.session, T0 + 91 * MIN)["items"]] == [
        "cs_supervisor", "office_manager"]


def test_a_broken_company_template_does_not_stop_the_escalation(env):
    from core.models.notification import NotificationTemplate

    env.session.add(NotificationTemplate(event="core.deadline_escalated", language="zh_CN", subject="{{ nope }}",
                                         body="{{ record }}"))
    env.session.flush()
    t, row = chained(env)
    result = escalate_overdue(env.session, T0 + SEC)
    assert result["escalated"] == 1 and row.escalation_level == 1  # escalated and in the history all the same
    assert result["items"][0]["notified"] == 0 and "nope" in result["items"][0]["error"]
    assert told(env) == set()
