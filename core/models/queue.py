"""Queued tasks (任务队列): one row per task sent to the workers, kept as its run record.

A row is written when a task is queued (:func:`core.queue.enqueue`) and updated by each attempt in
a transaction of its own, apart from the task's work: a failed attempt rolls the work back and
records only the error. After ``max_attempts`` failures the row is ``failed``: the failed list
(dead letters) an administrator retries from the admin or with ``wuye jobs retry``.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Enum, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow


class TaskStatus(enum.StrEnum):
    """Where a queued task stands."""

    queued = "queued"  # sent to the queue, or waiting for its next attempt after a failure
    running = "running"  # an attempt started (a worker killed mid-task leaves it so: see ``lost``)
    done = "done"  # an attempt succeeded
    failed = "failed"  # every attempt failed: in the failed list, with the last error
    lost = "lost"  # its worker died mid-attempt and the work was queued again as another task

    __labels__ = {"queued": ("Queued", "排队中"), "running": ("Running", "执行中"), "done": ("Done", "已完成"),
                  "failed": ("Failed", "失败"), "lost": ("Lost", "已丢失")}


class TaskRun(Base):
    """One queued task and how its attempts went (任务记录)."""

    __tablename__ = "core_task_runs"
    __table_args__ = (Index("ix_core_task_runs_status", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True, comment="row id")
    name: Mapped[str] = mapped_column(String(120), comment="task name, e.g. billing.run_chunk")
    module: Mapped[str] = mapped_column(String(200), default="", comment="module that defines the task")
    params: Mapped[dict] = mapped_column(JSON, default=dict, comment="the task's keyword arguments (JSON)")
    status: Mapped[TaskStatus] = mapped_column(
        Enum(TaskStatus, name="core_task_status", native_enum=False, length=16,
             values_callable=lambda e: [m.value for m in e]),
        default=TaskStatus.queued, comment="queued, running, done, failed or lost")
    attempts: Mapped[int] = mapped_column(default=0, comment="attempts started so far")
    max_attempts: Mapped[int] = mapped_column(default=3, comment="attempts before it lands in the failed list")
    error: Mapped[str] = mapped_column(Text, default="", comment="the last attempt's error")
    result: Mapped[dict] = mapped_column(JSON, default=dict, comment="the summary the task returned")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when it was queued (UTC)")
    started_at: Mapped[dt.datetime | None] = mapped_column(comment="start of the last attempt (UTC)")
    finished_at: Mapped[dt.datetime | None] = mapped_column(comment="end of the last attempt (UTC)")

    def __str__(self) -> str:
        return f"{self.name} #{self.id}"


MODELS = [TaskRun]
