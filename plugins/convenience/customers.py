"""Who may book a service for a unit (业主, 家庭成员, 租户/使用人, 受托人), and which of the manual's
three kinds of customer the unit makes them (居民, 办公企业, 商铺)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import Text, ValidationError
from core.models import Party, RelationKind, Unit, UnitRelation, UnitType
from plugins.convenience.models import CustomerType

# Relations that make a party a customer of a unit (业主, 家庭成员, 租户/使用人, 受托人).
CUSTOMER_RELATIONS = (RelationKind.owner, RelationKind.household_member, RelationKind.tenant, RelationKind.agent)


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
        raise ValidationError(Text(f"{party.name} is not an owner or occupant of unit {unit.label} on {on}; "
                              "book the service for the customer's own unit", f"{party.name} 在 {on} 不是房屋 {unit.label} 的业主或使用人，请为客户本人的房屋预约服务"), field="customer_id")
    return kinds
