"""Staff, departments and roles (spec 0.4 and 3)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, utcnow
from core.models.property import Estate

staff_roles = Table(
    "core_staff_roles",
    Base.metadata,
    Column("staff_id", ForeignKey("core_staff_users.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("core_roles.id", ondelete="CASCADE"), primary_key=True),
)

# Which estates (management offices) a staff member works for; record rules scope them to these.
staff_estates = Table(
    "core_staff_estates",
    Base.metadata,
    Column("staff_id", ForeignKey("core_staff_users.id", ondelete="CASCADE"), primary_key=True),
    Column("estate_id", ForeignKey("core_estates.id", ondelete="CASCADE"), primary_key=True),
)


class Department(Base):
    """A department of the company or of an estate's management office (客服部, 工程部, ...)."""

    __tablename__ = "core_departments"
    __table_args__ = (UniqueConstraint("estate_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True, comment="null: company level"
    )
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))

    estate: Mapped[Estate | None] = relationship()

    def __str__(self) -> str:
        return self.name


class Role(Base):
    """A named role from the manual (客服主管, 钥匙管理员, ...); grants live in the security tables."""

    __tablename__ = "core_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True, comment="english id, e.g. cs_supervisor")
    label: Mapped[str] = mapped_column(String(200), default="")
    label_zh: Mapped[str] = mapped_column(String(200), default="")
    all_estates: Mapped[bool] = mapped_column(default=False, comment="sees every estate (general manager)")

    def __str__(self) -> str:
        return self.label or self.name


class StaffUser(Base):
    """A staff member who logs in (员工). Passwords are stored as argon2 hashes only."""

    __tablename__ = "core_staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    employee_no: Mapped[str] = mapped_column(String(32), default="", comment="工号")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_departments.id", ondelete="SET NULL"))
    zone: Mapped[str] = mapped_column(String(64), default="", comment="responsibility zone (片区)")
    locale: Mapped[str] = mapped_column(String(8), default="", comment="zh_CN or en; empty: config default")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    email: Mapped[str] = mapped_column(String(200), default="", server_default="",
                                       comment="for e-mail notifications; empty: none sent")
    mobile: Mapped[str] = mapped_column(String(40), default="", server_default="",
                                        comment="for SMS notifications; empty: none sent")
    session_generation: Mapped[int] = mapped_column(
        default=0, server_default="0",
        comment="bumped by logout and password changes: the user's earlier session cookies stop working")

    department: Mapped[Department | None] = relationship()
    roles: Mapped[list[Role]] = relationship(secondary=staff_roles, lazy="selectin")
    estates: Mapped[list[Estate]] = relationship(secondary=staff_estates, lazy="selectin")

    @property
    def role_names(self) -> set[str]:
        return {r.name for r in self.roles}

    @property
    def all_estates(self) -> bool:
        """True for roles that see every estate, such as the general manager."""
        return any(r.all_estates for r in self.roles)

    def __str__(self) -> str:
        return self.full_name or self.username


class RolePermission(Base):
    """A permission granted to a role. Company changes are data and survive upgrades."""

    __tablename__ = "core_role_permissions"

    role_id: Mapped[int] = mapped_column(ForeignKey("core_roles.id", ondelete="CASCADE"), primary_key=True)
    permission: Mapped[str] = mapped_column(String(120), primary_key=True, comment="e.g. keys.lend")


class SeededPermission(Base):
    """Permissions whose default grants were already applied once.

    Seeding grants a permission's ``default_roles`` only the first time it is seen, so a grant a
    company revoked is not put back by the next upgrade.
    """

    __tablename__ = "core_seeded_permissions"

    permission: Mapped[str] = mapped_column(String(120), primary_key=True)
    seeded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
