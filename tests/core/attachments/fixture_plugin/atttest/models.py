"""Test models: reports take attachments (the Attachable mixin), memos do not."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.attachments import Attachable
from core.db import Base


class AtReport(Attachable, Base):
    """巡检报告: a report with photos and drawings (at most 5 MB each, images and PDF only)."""

    __tablename__ = "atttest_reports"
    attachment_kinds = ("photo", "drawing", "other")
    attachment_max_mb = 5
    attachment_types = ("jpeg", "png", "gif", "webp", "pdf")

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id"), index=True, comment="estate")
    title: Mapped[str] = mapped_column(String(200), comment="title")


class AtMemo(Base):
    """备忘: no attachments."""

    __tablename__ = "atttest_memos"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id"), index=True, comment="estate")
    title: Mapped[str] = mapped_column(String(200), comment="title")
