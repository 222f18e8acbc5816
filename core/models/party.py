"""Parties (people and companies) and their relations to units, with history kept."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, prefix_search_index, utcnow
from core.models.property import Unit, _enum


class PartyKind(enum.StrEnum):
    person = "person"
    company = "company"  # 单位购房 / commercial tenant

    # value -> (English, 中文): how screens show a value (dunder names are not enum members)
    __labels__ = {"person": ("Person", "个人"), "company": ("Company", "单位")}


class RelationKind(enum.StrEnum):
    """How a party relates to a unit. Ownership and occupancy are dated so history is kept."""

    owner = "owner"  # 业主 (产权人); several per unit for co-ownership
    household_member = "household_member"  # 家庭成员
    tenant = "tenant"  # 租户 / 物业使用人
    agent = "agent"  # 受托人, acting under a power of attorney
    contractor = "contractor"  # 装修企业 working in the unit

    __labels__ = {"owner": ("Owner", "业主"), "household_member": ("Household member", "家庭成员"),
                  "tenant": ("Tenant", "租户"), "agent": ("Agent", "受托人"), "contractor": ("Contractor", "装修企业")}


class Party(Base):
    """A person or company the estate deals with: owner, household member, tenant, agent, contractor."""

    __tablename__ = "core_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PartyKind] = mapped_column(_enum(PartyKind, "party_kind"), default=PartyKind.person)
    name: Mapped[str] = mapped_column(String(200), index=True)
    id_type: Mapped[str] = mapped_column(
        String(32), default="id_card", comment="身份证 id_card, passport, business_licence, ..."
    )
    id_number: Mapped[str] = mapped_column(String(64), default="", comment="sensitive: masked in lists")
    phone: Mapped[str] = mapped_column(String(40), default="", index=True, comment="sensitive: masked")
    phone2: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    notes: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    relations: Mapped[list[UnitRelation]] = relationship(back_populates="party")

    @property
    def unit_labels(self) -> str:
        """The units the party holds now (open relations), as labels: ``3-1-1201, 3-1-1202`` (the owner list).

        One indexed query (``party_id``) per party, at most 5 labels, so a list page stays cheap.
        """
        from sqlalchemy import or_, select
        from sqlalchemy.orm import object_session

        from core.clock import utcnow
        from core.models.property import Building

        session = object_session(self)
        if session is None or self.id is None:
            return ""
        today = utcnow().date()
        rows = (
            select(Building.code, Unit.entrance, Unit.room_no)
            .join(Unit, Unit.building_id == Building.id).join(UnitRelation, UnitRelation.unit_id == Unit.id)
            .where(UnitRelation.party_id == self.id, UnitRelation.start_on <= today,
                   or_(UnitRelation.end_on.is_(None), UnitRelation.end_on >= today))
            .distinct().order_by(Building.code, Unit.entrance, Unit.room_no).limit(5))
        actor = session.info.get("actor")  # a staff user sees only the units of their estates
        if actor is not None and not actor.all_estates:
            rows = rows.where(Unit.estate_id.in_([e.id for e in actor.estates]))
        return ", ".join("-".join(p for p in row if p) for row in session.execute(rows))

    def __str__(self) -> str:
        return self.name


class UnitRelation(Base):
    """A party's ownership or occupancy of a unit from ``start_on`` until ``end_on`` (open if null)."""

    __tablename__ = "core_unit_relations"
    __table_args__ = (
        CheckConstraint("end_on IS NULL OR end_on >= start_on", name="dates_ordered"),
        Index("ix_core_unit_relations_unit_kind", "unit_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"))
    party_id: Mapped[int] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[RelationKind] = mapped_column(_enum(RelationKind, "relation_kind"))
    relation_to_owner: Mapped[str] = mapped_column(String(64), default="", comment="for household members")
    share: Mapped[str] = mapped_column(String(16), default="", comment="co-ownership share, e.g. 1/2")
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date | None]

    unit: Mapped[Unit] = relationship()
    party: Mapped[Party] = relationship(back_populates="relations")

    def active_on(self, day: dt.date) -> bool:
        return self.start_on <= day and (self.end_on is None or self.end_on >= day)


# The admin searches owners and tenants by name or phone from their first characters.
prefix_search_index(Party.name)
prefix_search_index(Party.phone)
# The top-bar search finds a party by the last digits of the phone (core.services.search): on PostgreSQL
# as ``reverse(phone) LIKE '8765%'``, which this index serves; SQLite has no reverse() and scans.
Index("ix_core_parties_phone_tail", func.reverse(Party.phone).label("phone_reversed"),
      postgresql_ops={"phone_reversed": "text_pattern_ops"}).ddl_if(dialect="postgresql")
