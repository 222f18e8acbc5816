"""Queued billing runs (排队出账): a run record per estate and period, and one row per chunk of buildings.

A run sent to the workers (``wuye billing run`` with ``[jobs] broker_url``) is split into the same
chunks of whole buildings as an in-process run; each chunk is one task. The rows show the progress
per estate and chunk on the CLI and in the admin, and tell a re-queued run which chunks remain.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, utcnow

RUN_STATUSES = {"running": ("Running", "出账中"), "done": ("Done", "已完成")}
CHUNK_STATUSES = {"queued": ("Queued", "排队中"), "done": ("Done", "已完成")}


class BillingRun(Base):
    """One billing run of an estate for a period, sent to the workers (出账批次)."""

    __tablename__ = "billing_runs"

    id: Mapped[int] = mapped_column(primary_key=True, comment="row id")
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="CASCADE"), index=True,
                                           comment="estate billed")
    period: Mapped[str] = mapped_column(String(7), comment="period billed, YYYY-MM")
    status: Mapped[str] = mapped_column(String(16), default="running", comment="running or done")
    posted_on: Mapped[dt.date] = mapped_column(comment="business day recorded on the lines")
    chunks_total: Mapped[int] = mapped_column(default=0, comment="chunks of buildings in the run")
    chunks_done: Mapped[int] = mapped_column(default=0, comment="chunks billed so far")
    lines_created: Mapped[int] = mapped_column(default=0, comment="lines the run's chunks created")
    lines_existing: Mapped[int] = mapped_column(default=0, comment="lines that existed before")
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0, comment="total of the lines created, in fen")
    summary: Mapped[dict] = mapped_column(JSON, default=dict, comment="late fees and prepaid applied at the end")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment="who started it; NULL: the system")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when it was queued (UTC)")
    finished_at: Mapped[dt.datetime | None] = mapped_column(comment="when its last chunk was billed (UTC)")

    estate = relationship("Estate")  # not joined: the run row is locked FOR UPDATE (PostgreSQL refuses outer joins)
    chunks: Mapped[list[BillingRunChunk]] = relationship(
        back_populates="run", order_by="BillingRunChunk.seq", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return f"{self.period} #{self.id}"


class BillingRunChunk(Base):
    """One chunk of whole buildings of a queued run: one task (出账分块)."""

    __tablename__ = "billing_run_chunks"
    __table_args__ = (UniqueConstraint("run_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True, comment="row id")
    run_id: Mapped[int] = mapped_column(ForeignKey("billing_runs.id", ondelete="CASCADE"), index=True,
                                        comment="the run")
    seq: Mapped[int] = mapped_column(comment="position in the run, from 1")
    building_ids: Mapped[list] = mapped_column(JSON, default=list, comment="ids of the chunk's buildings")
    units: Mapped[int] = mapped_column(default=0, comment="units in the chunk's buildings")
    status: Mapped[str] = mapped_column(String(16), default="queued", comment="queued or done")
    task_id: Mapped[int | None] = mapped_column(comment="the core_task_runs row last queued for it")
    lines_created: Mapped[int] = mapped_column(default=0, comment="lines the chunk created")
    lines_existing: Mapped[int] = mapped_column(default=0, comment="lines of its units that existed before")
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0, comment="total of the lines created, in fen")
    finished_at: Mapped[dt.datetime | None] = mapped_column(comment="when it was billed (UTC)")

    run: Mapped[BillingRun] = relationship(back_populates="chunks")


RUN_MODELS = (BillingRun, BillingRunChunk)
