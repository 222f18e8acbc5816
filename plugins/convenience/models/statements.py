"""Monthly statements (《有偿便民服务月结统计表》) and their lines: what is posted to billing once a month."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, utcnow
from core.models import Party, Unit
from plugins.convenience.models.columns import staff_fk


class ConvenienceStatement(Base):
    """A customer's monthly statement (《有偿便民服务月结统计表》), posted to billing once."""

    __tablename__ = "convenience_statements"
    __table_args__ = (UniqueConstraint("customer_id", "unit_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True, comment="YYYY-MM")
    total_fen: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = staff_fk()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    posted_by_id: Mapped[int | None] = staff_fk("who sent it to the cashier (billing)")
    posted_at: Mapped[dt.datetime | None] = mapped_column(comment="null until posted to billing")

    lines: Mapped[list[ConvenienceStatementLine]] = relationship(
        back_populates="statement", cascade="all, delete-orphan", order_by="ConvenienceStatementLine.id")
    customer: Mapped[Party] = relationship()
    unit: Mapped[Unit] = relationship()

    @property
    def source(self) -> str:
        """The billing source of this statement's charge."""
        return f"convenience:statement:{self.id}"


class ConvenienceStatementLine(Base):
    """One line of a monthly statement: a delivered order or a month of an agreement."""

    __tablename__ = "convenience_statement_lines"
    __table_args__ = (UniqueConstraint("order_id"), UniqueConstraint("agreement_id", "period"))

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("convenience_statements.id", ondelete="CASCADE"),
                                              index=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True)
    period: Mapped[str] = mapped_column(String(7), comment="YYYY-MM, as on the statement")
    item_id: Mapped[int] = mapped_column(ForeignKey("convenience_items.id", ondelete="RESTRICT"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("convenience_orders.id", ondelete="RESTRICT"))
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("convenience_agreements.id", ondelete="RESTRICT"))
    description: Mapped[str] = mapped_column(String(400), default="")
    amount_fen: Mapped[int] = mapped_column(default=0)

    statement: Mapped[ConvenienceStatement] = relationship(back_populates="lines")
