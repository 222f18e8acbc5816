"""Item costs entered per month for the profitability review (保本微利)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, utcnow
from plugins.convenience.models.columns import staff_fk


class ConvenienceItemCost(Base):
    """The cost entered for an item and month, for the profitability review (保本微利)."""

    __tablename__ = "convenience_item_costs"
    __table_args__ = (UniqueConstraint("item_id", "period"),
                      CheckConstraint("cost_fen >= 0", name="cost_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("convenience_items.id", ondelete="RESTRICT"))
    period: Mapped[str] = mapped_column(String(7), comment="YYYY-MM")
    cost_fen: Mapped[int]
    note: Mapped[str] = mapped_column(String(2000), default="")
    entered_by_id: Mapped[int | None] = staff_fk()
    entered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
