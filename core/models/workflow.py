"""Workflow bookkeeping (DESIGN 7): the history of every transition and the open deadlines (SLA timers)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow
from core.models import assignment as _assignment  # noqa: F401  (core_teams, which deadlines snapshot)


class WorkflowHistory(Base):
    """One row per transition applied to a record (and per escalation): who, when, from, to, why.

    Rows are never updated or deleted; the record's timeline and the requester of a second-approver
    transition (the actor of its first row) are read from here.
    """

    __tablename__ = "core_workflow_history"
    __table_args__ = (Index("ix_core_workflow_history_record", "record_table", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow: Mapped[str] = mapped_column(String(120), comment="workflow name, e.g. repairs.order")
    record_table: Mapped[str] = mapped_column(String(120), comment="table of the record, e.g. repairs_orders")
    record_id: Mapped[int] = mapped_column(comment="primary key of the record")
    estate_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_estates.id", ondelete="SET NULL"), index=True, comment="the record's estate, if any")
    transition: Mapped[str] = mapped_column(String(64), comment="transition name, or 'escalate'")
    from_state: Mapped[str] = mapped_column(String(64))
    to_state: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment="null: the system (a scheduled job)")
    approver_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment="second approver, when one was required")
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class WorkflowDeadline(Base):
    """The due time of a record in its current state (SLA timer); at most one open row per record.

    Opened when a record enters a state (or takes a transition) that carries a ``Deadline``; closed
    when the record leaves that state; marked escalated by the job ``core.escalate_overdue``.
    Paused (``paused_at``) while the record waits in a state that ``pauses_deadline``; resuming
    moves ``due_at`` on by the paused time, in the deadline's own clock (calendar or working time).
    """

    __tablename__ = "core_workflow_deadlines"
    __table_args__ = (
        Index("ix_core_workflow_deadlines_record", "record_table", "record_id"),
        Index("ix_core_workflow_deadlines_open_due", "closed_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow: Mapped[str] = mapped_column(String(120))
    record_table: Mapped[str] = mapped_column(String(120))
    record_id: Mapped[int]
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("core_estates.id", ondelete="SET NULL"), index=True)
    state: Mapped[str] = mapped_column(String(64), comment="the state the time limit applies to")
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    due_at: Mapped[dt.datetime] = mapped_column(comment="when the record becomes overdue (超时)")
    escalate_to: Mapped[str] = mapped_column(String(64), comment="role the overdue record is escalated to")
    escalated_at: Mapped[dt.datetime | None] = mapped_column(comment="set by core.escalate_overdue")
    closed_at: Mapped[dt.datetime | None] = mapped_column(comment="set when the record left the state")
    working_time: Mapped[bool] = mapped_column(default=False, server_default=false(),
                                               comment="counts working time of the business calendar")
    paused_at: Mapped[dt.datetime | None] = mapped_column(comment="set while the record waits for the owner")
    paused_seconds: Mapped[int] = mapped_column(default=0, server_default="0",
                                                comment="paused time so far (working seconds if working_time)")
    chain: Mapped[str] = mapped_column(
        String(400), default="", server_default="",
        comment="escalation chain 'role:minutes after due' comma separated; empty: escalate_to at due time")
    escalation_level: Mapped[int] = mapped_column(default=0, server_default="0",
                                                  comment="escalation levels done so far (0: not escalated)")
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"),
        comment="who held the record (its assignee); frozen once it breached")
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_teams.id", ondelete="SET NULL"), comment="the team holding the record; frozen once it breached")

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
