"""Vacancy periods (空置): when a unit stood empty, kept from unit events for the vacancy discount."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, utcnow


class Vacancy(Base):
    """A period a unit stood empty (空置), kept from unit events; drives the vacancy discount."""

    __tablename__ = "billing_vacancies"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True)
    vacant_from: Mapped[dt.date] = mapped_column()
    vacant_to: Mapped[dt.date | None] = mapped_column(comment="null while the unit is still empty")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
