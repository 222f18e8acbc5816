"""The visitor register. The table name starts with the plugin name, as every plugin's must."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, utcnow


class Visit(Base):
    """One visit (来访): a visitor let in to see a unit, and when they left."""

    __tablename__ = "visitors_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id"), index=True, comment="unit visited")
    visitor_name: Mapped[str] = mapped_column(String(100))
    visitor_phone: Mapped[str] = mapped_column(String(40), default="")
    arrived_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    left_at: Mapped[dt.datetime | None] = mapped_column(comment="null while the visitor is inside")
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_staff_users.id"))
