"""The activity trail (spec 1.4 items 5, 10, 11): who changed what and when, comments and attachments."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow


class Activity(Base):
    """One entry of a record's timeline (操作记录): a create, update, delete, transition, comment,
    attachment or escalation, attributed to a staff member (null: the system).

    ``changes`` maps field names to ``[old, new]``; sensitive values (ID-card numbers, phones) are
    stored masked, secrets (password hashes, tokens) as ``"***"``.
    """

    __tablename__ = "core_activity"
    __table_args__ = (
        Index("ix_core_activity_record", "record_table", "record_id"),
        Index("ix_core_activity_actor_at", "actor_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment="null: the system or a script")
    record_table: Mapped[str] = mapped_column(String(120))
    record_id: Mapped[str] = mapped_column(String(64), comment="primary key as text; 'a/b' for composite keys")
    estate_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_estates.id", ondelete="SET NULL"), index=True, comment="the record's estate, if any")
    action: Mapped[str] = mapped_column(
        String(16), comment="create, update, delete, transition, comment, attachment, escalate")
    detail: Mapped[str] = mapped_column(String(120), default="", comment="transition name, attachment file name")
    changes: Mapped[dict] = mapped_column(JSON, default=dict, comment="{field: [old, new]}, sensitive values masked")
    note: Mapped[str] = mapped_column(Text, default="", comment="comment text, transition comment")


class Attachment(Base):
    """A file attached to any record (ID copies, contracts, drawings, photos: 附件).

    The bytes live in the attachment storage under ``storage_key`` (``core.attachments``), or, for
    rows written by the older ``core.activity.attach``, in ``data`` or at ``stored_path``. A removed
    attachment keeps its row (name, size, checksum, who removed it when) so the trail stays whole;
    its bytes are deleted from the storage.
    """

    __tablename__ = "core_attachments"
    __table_args__ = (Index("ix_core_attachments_record", "record_table", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_table: Mapped[str] = mapped_column(String(120))
    record_id: Mapped[str] = mapped_column(String(64))
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("core_estates.id", ondelete="SET NULL"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120), default="application/octet-stream")
    size: Mapped[int] = mapped_column(default=0, comment="bytes")
    stored_path: Mapped[str] = mapped_column(String(500), default="", comment="file on disk, when not in 'data'")
    data: Mapped[bytes | None] = mapped_column(LargeBinary, comment="the file itself, when kept in the database")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_staff_users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    storage_key: Mapped[str] = mapped_column(
        String(255), default="", server_default="",
        comment="key of the file in the attachment storage, e.g. 2026/12/<uuid>.jpg; empty for legacy rows")
    thumbnail_key: Mapped[str] = mapped_column(
        String(255), default="", server_default="", comment="key of the image's thumbnail; empty when none")
    sha256: Mapped[str] = mapped_column(String(64), default="", server_default="",
                                        comment="SHA-256 of the file, hex (spots the same file uploaded twice)")
    kind: Mapped[str] = mapped_column(String(32), default="", server_default="",
                                      comment="what the file is: photo, drawing, contract... (empty: unspecified)")
    width: Mapped[int | None] = mapped_column(comment="image width in pixels, upright (after EXIF rotation)")
    height: Mapped[int | None] = mapped_column(comment="image height in pixels, upright (after EXIF rotation)")
    removed_at: Mapped[dt.datetime | None] = mapped_column(comment="when it was removed (the row stays for the trail)")
    removed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment="who removed it")
