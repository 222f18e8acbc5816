"""Assignment (派工): teams, dispatch rules and the assignment history of records (issue 17 part 2).

A record of any plugin (a repair order, a complaint...) is named by ``record_table`` and ``record_id``,
like its deadlines. Its assignments are a history: the current one has no ``ended_at``; assigning
again, reassigning (改派), grabbing (抢单) or releasing ends it and, except for a release, opens the
next. The rules live in :mod:`core.assignment`.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, utcnow
from core.models.org import StaffUser
from core.models.property import Estate


class DispatchMode(enum.StrEnum):
    """How a record of a category reaches its handler (派工方式); ``reassign`` only in the history."""

    assign = "assign"  # 指派: to the rule's default handler, else the supervisor picks one
    grab = "grab"  # 抢单: offered to the team, the first member to grab it has it
    round_robin = "round_robin"  # 轮派: the next active member of the team after the last one
    reassign = "reassign"  # 改派: someone else takes it over (reason kept)

    __labels__ = {"assign": ("Assign", "指派"), "grab": ("Grab", "抢单"), "round_robin": ("Round robin", "轮派"),
                  "reassign": ("Reassign", "改派")}


def _mode_enum(name: str) -> Enum:
    return Enum(DispatchMode, name=name, native_enum=False, length=16,
                values_callable=lambda e: [m.value for m in e])


class Team(Base):
    """A team (班组) of one estate: the plumbers, the customer-service desk, the night guards."""

    __tablename__ = "core_teams"
    __table_args__ = (UniqueConstraint("estate_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="CASCADE"), index=True,
                                           comment="the estate the team works in")
    name: Mapped[str] = mapped_column(String(120), comment="e.g. 水电班 plumbing and electrics")
    kind: Mapped[str] = mapped_column(String(64), default="", comment="department or trade, e.g. engineering")
    supervisor_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment="the team's supervisor (班长)")
    active: Mapped[bool] = mapped_column(default=True, comment="inactive teams get no new records")

    estate: Mapped[Estate] = relationship()
    supervisor: Mapped[StaffUser | None] = relationship()
    members: Mapped[list[TeamMember]] = relationship(
        back_populates="team", cascade="all, delete-orphan", order_by="(TeamMember.position, TeamMember.id)")

    def __str__(self) -> str:
        return self.name


class TeamMember(Base):
    """A staff user in a team (班组成员); ``position`` orders the round robin."""

    __tablename__ = "core_team_members"
    __table_args__ = (UniqueConstraint("team_id", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("core_teams.id", ondelete="CASCADE"), index=True,
                                         comment="the team")
    staff_id: Mapped[int] = mapped_column(ForeignKey("core_staff_users.id", ondelete="CASCADE"), index=True,
                                          comment="the member")
    position: Mapped[int] = mapped_column(default=0, comment="order in the round robin (lowest first)")
    active: Mapped[bool] = mapped_column(default=True, comment="inactive members (on leave) are skipped")

    team: Mapped[Team] = relationship(back_populates="members")
    staff: Mapped[StaffUser] = relationship()

    @classmethod
    def __estate_clause__(cls, estate_ids):
        """Record rule: a membership is seen by those who see its team's estate."""
        return cls.team_id.in_(select(Team.id).where(Team.estate_id.in_(estate_ids)))

    def __str__(self) -> str:
        return f"{self.staff} @ {self.team}" if self.staff is not None else str(self.staff_id)


class Assignment(Base):
    """Who handles a record (派工记录): a named assignee and/or a team; never deleted, ended instead.

    A row with a team and no assignee is offered to the team (抢单池) until a member grabs it.
    """

    __tablename__ = "core_assignments"
    __table_args__ = (Index("ix_core_assignments_record", "record_table", "record_id", "ended_at"),
                      Index("ix_core_assignments_assignee", "assignee_id", "ended_at"),
                      Index("ix_core_assignments_team", "team_id", "ended_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    record_table: Mapped[str] = mapped_column(String(120), comment="table of the record, e.g. repairs_orders")
    record_id: Mapped[int] = mapped_column(comment="primary key of the record")
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("core_estates.id", ondelete="CASCADE"), index=True,
                                                  comment="the record's estate")
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment="the handler; null: offered to the team")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("core_teams.id", ondelete="SET NULL"),
                                                comment="the team handling it")
    mode: Mapped[DispatchMode] = mapped_column(_mode_enum("core_assignment_mode"), comment="how it was assigned")
    assigned_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment="who assigned it; null: the system")
    assigned_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when (UTC)")
    ended_at: Mapped[dt.datetime | None] = mapped_column(comment="when it was superseded or released; null: current")
    reason: Mapped[str] = mapped_column(String(500), default="", comment="why (required when reassigning)")

    assignee: Mapped[StaffUser | None] = relationship(foreign_keys=[assignee_id])
    assigned_by: Mapped[StaffUser | None] = relationship(foreign_keys=[assigned_by_id])
    team: Mapped[Team | None] = relationship()

    @property
    def is_offered(self) -> bool:
        """Offered to the team, waiting for a member to grab it (抢单)."""
        return self.assignee_id is None and self.team_id is not None and self.ended_at is None

    def __str__(self) -> str:
        who = str(self.assignee) if self.assignee is not None else ""
        team = str(self.team) if self.team is not None else ""
        return " / ".join(x for x in (who, team) if x) or "-"


class DispatchRule(Base):
    """How records of one category are dispatched at one estate (派工规则), e.g. ``repairs.plumbing``.

    A category without its own rule falls back to its parent (``repairs.plumbing`` -> ``repairs``).
    """

    __tablename__ = "core_dispatch_rules"
    __table_args__ = (UniqueConstraint("estate_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="CASCADE"), index=True,
                                           comment="the estate the rule applies to")
    category: Mapped[str] = mapped_column(String(120), comment="e.g. repairs.plumbing, or repairs for all repairs")
    mode: Mapped[DispatchMode] = mapped_column(_mode_enum("core_dispatch_mode"), default=DispatchMode.assign,
                                               comment="assign, grab or round_robin")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("core_teams.id", ondelete="SET NULL"),
                                                comment="the team records go to (grab, round robin)")
    default_assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment="mode assign: the usual handler")
    last_assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_staff_users.id", ondelete="SET NULL"), comment="round robin: who got the last one")

    estate: Mapped[Estate] = relationship()
    team: Mapped[Team | None] = relationship()
    default_assignee: Mapped[StaffUser | None] = relationship(foreign_keys=[default_assignee_id])
    last_assignee: Mapped[StaffUser | None] = relationship(foreign_keys=[last_assignee_id])

    def __str__(self) -> str:
        return f"{self.category} ({self.mode.value})"


MODELS: tuple = (Team, TeamMember, Assignment, DispatchRule)  # every model of this module, registered by core.builtin_hooks
