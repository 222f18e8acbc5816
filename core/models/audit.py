"""Audit tables outside the activity trail: archive access log and scheduled-job runs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow


class AccessLog(Base):
    """Who opened which confidential record, when and why (owner archives are 绝密, KF09 §4.5)."""

    __tablename__ = "core_access_log"
    __table_args__ = (Index("ix_core_access_log_record", "record_table", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_staff_users.id", ondelete="SET NULL"), index=True)
    record_table: Mapped[str] = mapped_column(String(120), comment="e.g. core_parties")
    record_id: Mapped[str] = mapped_column(String(64))
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("core_estates.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(32), default="open", comment="open, print, export")
    reason: Mapped[str] = mapped_column(String(500), default="", comment="why the archive was opened")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class JobRun(Base):
    """One run of a scheduled job (``wuye jobs run``): decides which jobs are due and shows the last result."""

    __tablename__ = "core_job_runs"
    __table_args__ = (Index("ix_core_job_runs_job_started", "job", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(120), comment="job name, e.g. core.escalate_overdue")
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    as_of: Mapped[dt.datetime] = mapped_column(comment="the 'now' the job ran for (--now)")
    ok: Mapped[bool] = mapped_column(default=False)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
