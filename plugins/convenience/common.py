"""Helpers shared by the convenience services: permissions, estate scope, local dates and periods."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import Enum
from zoneinfo import ZoneInfo

from marshmallow import ValidationError as MmValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import round_fen
from core.errors import NotFound, PermissionDenied, ValidationError
from core.models import Estate, Party, RelationKind, StaffUser, Unit, UnitRelation, UnitType
from core.scoping import visible_estate_ids
from core.security.grants import has_permission, require
from core.workflow.engine import SYSTEM_KEY
from plugins.convenience.models import CustomerType

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
YEAR_RE = re.compile(r"^\d{4}$")

# Relations that make a party a customer of a unit (业主, 家庭成员, 租户/使用人, 受托人).
CUSTOMER_RELATIONS = (RelationKind.owner, RelationKind.household_member, RelationKind.tenant, RelationKind.agent)

DEFAULT_SETTINGS = {"default_billing_mode": "per_job", "review_month": 1}


def settings(session: Session) -> dict:
    """The validated ``[plugins.convenience]`` section, defaults filled in."""
    wuye = session.info.get("wuye")
    found = wuye.settings("convenience") if wuye is not None else {}
    return {**DEFAULT_SETTINGS, **(found or {})}


def allow(session: Session, actor: StaffUser | None, permission: str, estate_id: int | None) -> None:
    """Require ``permission`` and, for an estate record, that ``actor`` works for that estate.

    ``actor`` None is the system (a scheduled job, whose session carries ``wuye_system``); anywhere
    else it is refused.
    """
    if actor is None and session.info.get(SYSTEM_KEY):
        return
    require(session, actor, permission)
    ids = visible_estate_ids(session, actor)
    if estate_id is not None and ids is not None and estate_id not in ids:
        raise PermissionDenied(f"{actor.username} does not work for estate {estate_id}; "
                               "ask for the estate to be added to the account")


def can(session: Session, actor: StaffUser | None, permission: str) -> bool:
    return (actor is None and bool(session.info.get(SYSTEM_KEY))) or has_permission(session, actor, permission)


def _plain(value):
    # Input may arrive already deserialised (the web layer loads the schema first): give marshmallow
    # back the text it expects, so loading twice gives the same result.
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return getattr(value, "value", value) if isinstance(value, Enum) else value


def load(schema, data: dict, *, partial: bool = False) -> dict:
    """Validate ``data`` with a marshmallow schema; field messages become a ``ValidationError``."""
    if not isinstance(data, dict):
        raise ValidationError("expected an object of fields", field="_schema")
    try:
        return schema.load({k: _plain(v) for k, v in data.items()}, partial=partial)
    except MmValidationError as exc:
        raise ValidationError(exc.messages) from None


def get(session: Session, model: type, ident, field: str):
    """Fetch a row by id or raise ``ValidationError`` naming ``field`` (for ids given as input)."""
    row = session.get(model, ident) if ident is not None else None
    if row is None:
        raise ValidationError(f"no {model.__name__} with id {ident!r}; pick an existing one", field=field)
    return row


def get_or_404(session: Session, model: type, ident):
    row = session.get(model, ident)
    if row is None:
        raise NotFound(f"{model.__name__} {ident} not found")
    return row


def estate_zone(session: Session, estate_id: int) -> ZoneInfo:
    estate = session.get(Estate, estate_id)
    return ZoneInfo(estate.timezone if estate is not None and estate.timezone else "Asia/Shanghai")


def local_today(session: Session, estate_id: int, now: dt.datetime | None = None) -> dt.date:
    """Which day it is at the estate (its time zone, default Asia/Shanghai)."""
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(estate_zone(session, estate_id)).date()


def period_of(session: Session, estate_id: int, moment: dt.datetime) -> str:
    """The ``YYYY-MM`` month a UTC moment falls in at the estate."""
    return moment.astimezone(estate_zone(session, estate_id)).strftime("%Y-%m")


def check_period(period: str, *, allow_year: bool = False, field: str = "period") -> str:
    period = (period or "").strip()
    if PERIOD_RE.match(period) or (allow_year and YEAR_RE.match(period)):
        return period
    raise ValidationError(f"period {period!r} is not a month like 2026-03" + (" or a year like 2026"
                                                                              if allow_year else ""), field=field)


def month_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a ``YYYY-MM`` month."""
    year, month = (int(p) for p in check_period(period).split("-"))
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def month_range_utc(session: Session, estate_id: int, period: str) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local month as UTC datetimes."""
    first, last = month_bounds(period)
    zone = estate_zone(session, estate_id)
    start = dt.datetime.combine(first, dt.time(), zone).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone).astimezone(dt.UTC)
    return start, end


def money(price_fen: int, quantity: Decimal) -> int:
    """Price × quantity, rounded half-up to the fen."""
    return round_fen(Decimal(price_fen) * Decimal(quantity))


def customer_type_of(unit: Unit) -> CustomerType:
    """Residents, offices or shops, from the unit's type (parking and storage count as residents)."""
    return {UnitType.office: CustomerType.offices, UnitType.shop: CustomerType.shops}.get(
        UnitType(unit.unit_type), CustomerType.residents)


def customer_relations(session: Session, unit: Unit, party: Party, on: dt.date) -> set[RelationKind]:
    """The kinds of relation ``party`` has with ``unit`` on ``on`` (owner, household member, tenant, agent)."""
    stmt = (select(UnitRelation.kind).where(UnitRelation.unit_id == unit.id, UnitRelation.party_id == party.id,
                                            UnitRelation.kind.in_(CUSTOMER_RELATIONS),
                                            UnitRelation.start_on <= on)
            .where((UnitRelation.end_on.is_(None)) | (UnitRelation.end_on >= on)))
    return {RelationKind(k) for k in session.scalars(stmt)}


def check_customer(session: Session, unit: Unit, party: Party, on: dt.date) -> set[RelationKind]:
    """Refuse a customer who is not an owner or occupant of ``unit`` (checked with core UnitRelation)."""
    kinds = customer_relations(session, unit, party, on)
    if not kinds:
        raise ValidationError(f"{party.name} is not an owner or occupant of unit {unit.label} on {on}; "
                              "book the service for the customer's own unit", field="customer_id")
    return kinds


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "****"
