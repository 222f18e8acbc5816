"""Webhook endpoints (推送地址) and the delivery log (推送记录). Table names start with ``webhooks_``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, exists, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from core import Base, utcnow


def _write_secret(endpoint: Endpoint, value: str) -> None:
    endpoint.signing_secret = value


class Endpoint(Base):
    """An address that receives the events it subscribes to, signed with its secret.

    ``estate_id`` null: a company-wide endpoint, which receives the events of every estate (and of
    company-level records) and only staff of every estate see. ``events`` is the subscribed event
    types separated by spaces (``record.created record.transition``).
    """

    __tablename__ = "webhooks_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("core_estates.id"), index=True,
                                                  comment="null: company-wide (every estate)")
    url: Mapped[str] = mapped_column(String(500), comment="http:// or https:// address deliveries are POSTed to")
    signing_secret: Mapped[str] = mapped_column(String(200), comment="HMAC-SHA256 key; write-only")
    events: Mapped[str] = mapped_column(String(200), comment="subscribed event types, separated by spaces")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_staff_users.id"))

    # Write-only: the admin form and the API set ``secret``; reading it gives None, so no screen,
    # export or API response can show it (the activity trail stores it as "***").
    secret = synonym("signing_secret", descriptor=property(lambda self: None, _write_secret))

    def __str__(self) -> str:
        return self.url


class Delivery(Base):
    """One event sent (or to be sent) to one endpoint: the delivery log.

    ``status`` is ``pending`` until a 2xx answer (``delivered``) or the last attempt (``failed``);
    ``next_attempt_at`` is when the job ``webhooks.deliver`` tries it next. ``payload`` is the JSON
    body; its bytes are the same on every attempt. ``estate_id`` is the record's estate; who sees a
    delivery follows its endpoint (see ``__estate_clause__``).
    """

    __tablename__ = "webhooks_deliveries"
    __table_args__ = (Index("ix_webhooks_deliveries_due", "status", "next_attempt_at"),)
    __activity__ = False  # the log is its own record; attempts would flood the activity trail

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, comment="X-Wuye-Delivery: receivers de-duplicate on it")
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhooks_endpoints.id"), index=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    record_type: Mapped[str] = mapped_column(String(120), comment="the record's table, e.g. keys_loans")
    record_id: Mapped[str] = mapped_column(String(64))
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("core_estates.id"), index=True,
                                                  comment="the record's estate, if any")
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending", comment="pending, delivered or failed")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(comment="null once delivered or failed")
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column()
    last_status_code: Mapped[int | None] = mapped_column(comment="HTTP status of the last answer; null: no answer")
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column()

    endpoint: Mapped[Endpoint] = relationship()

    @classmethod
    def __estate_clause__(cls, estate_ids):
        """Staff see the deliveries of the endpoints they see (their estates' endpoints)."""
        return exists(select(Endpoint.id).where(Endpoint.id == cls.endpoint_id, Endpoint.estate_id.in_(estate_ids)))


# Every mapped class of the plugin; hooks.wuye_register_models returns exactly these.
MODELS = (Endpoint, Delivery)
