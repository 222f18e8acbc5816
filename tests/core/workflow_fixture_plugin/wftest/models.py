"""Test models: tickets (workflow, estate_id), notes (scoped through their ticket), arrears (follow-ups)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, exists, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, utcnow


class WfTicket(Base):
    __tablename__ = "wftest_tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(32), default="new")
    number: Mapped[str] = mapped_column(String(32), default="")
    report: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    completed_at: Mapped[dt.datetime | None]


class WfNote(Base):
    """No estate_id column: scoped through its ticket by __estate_clause__."""

    __tablename__ = "wftest_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("wftest_tickets.id"))
    name: Mapped[str] = mapped_column(String(200))
    ticket: Mapped[WfTicket] = relationship()

    @classmethod
    def __estate_clause__(cls, estate_ids):
        return exists(select(WfTicket.id).where(WfTicket.id == cls.ticket_id, WfTicket.estate_id.in_(estate_ids)))


class WfArrear(Base):
    """An unpaid fee followed up every 15 days (periodic job, not a state deadline)."""

    __tablename__ = "wftest_arrears"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id"), index=True)
    debtor: Mapped[str] = mapped_column(String(200))
    amount_fen: Mapped[int]
    last_follow_up_on: Mapped[dt.date | None]
    follow_ups: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
