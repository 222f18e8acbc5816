"""Lock changes (换锁) opened when a key set is reported lost."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, utcnow
from plugins.keys.models.columns import enum_column, estate_fk, staff_fk
from plugins.keys.models.register import KeySet


class TaskStatus(enum.StrEnum):
    open = "open"
    done = "done"
    cancelled = "cancelled"

    __labels__ = {  # value -> (English, 中文), shown on every screen
        "open": ("Open", "待处理"),
        "done": ("Done", "已完成"),
        "cancelled": ("Cancelled", "已取消"),
    }


class LockChangeTask(Base):
    """换锁: opened when a key set is reported lost; done once the lock is changed and new keys made."""

    __tablename__ = "keys_lock_change_tasks"
    __table_args__ = (UniqueConstraint("estate_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = estate_fk()
    number: Mapped[str] = mapped_column(String(32), comment="LC-YYYY-NNNNNN")
    key_set_id: Mapped[int] = mapped_column(ForeignKey("keys_key_sets.id", ondelete="RESTRICT"), index=True)
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("keys_loans.id", ondelete="RESTRICT"),
                                                comment="the loan during which the key was lost")
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus, "keys_task_status"), default=TaskStatus.open)
    description: Mapped[str] = mapped_column(String(1000), default="")
    reported_by_id: Mapped[int | None] = staff_fk()
    reported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    done_at: Mapped[dt.datetime | None]
    done_by_id: Mapped[int | None] = staff_fk()
    done_note: Mapped[str] = mapped_column(String(1000), default="")
    new_copies: Mapped[int | None] = mapped_column(comment="keys cut for the new lock")

    key_set: Mapped[KeySet] = relationship()

    def __str__(self) -> str:
        return self.number
