"""The visitor register (来访登记). Every table name starts with the plugin name, ``visitors_``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, utcnow


class Visit(Base):
    """One visit (来访): a visitor let in at the gate to see a unit, until they leave.

    ``status`` is the state of workflow ``visitors.visit`` (see ``workflows``): it starts ``inside``
    and changes only through a transition. ``estate_id`` is what estate scoping filters on.
    """

    __tablename__ = "visitors_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id"), index=True)
    number: Mapped[str] = mapped_column(String(32), index=True, comment="VS-<year>-<n>, per estate")
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id"), index=True, comment="unit visited")
    visitor_name: Mapped[str] = mapped_column(String(100))
    visitor_phone: Mapped[str] = mapped_column(String(40), default="")
    purpose: Mapped[str] = mapped_column(String(200), default="", comment="来访事由")
    status: Mapped[str] = mapped_column(String(32), default="inside", index=True)
    arrived_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    left_at: Mapped[dt.datetime | None] = mapped_column(comment="null while the visitor is inside")
    overstay_flagged_at: Mapped[dt.datetime | None] = mapped_column(
        comment="set by the job visitors.flag_overstays when the visitor stays too long")
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_staff_users.id"))


# Every mapped class of the plugin; hooks.wuye_register_models returns exactly these.
MODELS = (Visit,)
