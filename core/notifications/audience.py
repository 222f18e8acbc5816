"""Who an :class:`~core.notifications.Audience` reaches: staff users and parties (owners, tenants).

Staff are found by id or by role for an estate; parties by id, by the units they currently own or
rent (units, buildings, whole estates) or by a query (``query(session) -> party ids``, e.g. the
owners of units in arrears). Each person is reached once, however many ways they were named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select

from core.clock import utcnow
from core.errors import ValidationError
from core.models import Party, Role, StaffUser, Unit, UnitRelation
from core.models.org import staff_roles
from core.models.party import RelationKind

# Who "the units' people" are: those who own or live in them (household members are told through
# the owner; agents and contractors are not residents).
RESIDENT_KINDS = (RelationKind.owner, RelationKind.tenant)


@dataclass(frozen=True)
class Recipient:
    """One person to tell: ``kind`` ``staff``, ``party`` or ``phone`` (a bare number, ``id`` 0), their
    id, name, language and addresses."""

    kind: str
    id: int
    name: str
    language: str
    email: str = ""
    mobile: str = ""

    @property
    def key(self) -> tuple[str, int | str]:
        return (self.kind, self.mobile if self.kind == "phone" else self.id)


def _staff(session, audience, default_language: str) -> list[StaffUser]:
    found: dict[int, StaffUser] = {}
    if audience.staff_ids:
        for user in session.scalars(select(StaffUser).where(StaffUser.id.in_(list(audience.staff_ids)))):
            found[user.id] = user
    if audience.roles:
        stmt = (select(StaffUser).join(staff_roles, staff_roles.c.staff_id == StaffUser.id)
                .join(Role, Role.id == staff_roles.c.role_id).where(Role.name.in_(list(audience.roles)))
                .distinct())
        for user in session.scalars(stmt):
            # For an estate: staff assigned to it, or whose roles see every estate (company level).
            if audience.estate_id is None or user.all_estates or audience.estate_id in {e.id for e in user.estates}:
                found[user.id] = user
    return [u for u in found.values() if u.active]


def _unit_clause(audience):
    clauses = []
    if audience.unit_ids:
        clauses.append(Unit.id.in_(list(audience.unit_ids)))
    if audience.building_ids:
        clauses.append(Unit.building_id.in_(list(audience.building_ids)))
    if audience.estate_ids:
        clauses.append(Unit.estate_id.in_(list(audience.estate_ids)))
    return or_(*clauses) if clauses else None


def _party_ids(session, audience, today: dt.date) -> list[int]:
    ids = list(dict.fromkeys(audience.party_ids))
    units = _unit_clause(audience)
    if units is not None:
        stmt = (select(UnitRelation.party_id).join(Unit, Unit.id == UnitRelation.unit_id)
                .where(units, UnitRelation.kind.in_(RESIDENT_KINDS), UnitRelation.start_on <= today,
                       or_(UnitRelation.end_on.is_(None), UnitRelation.end_on >= today))
                .distinct())
        ids.extend(session.scalars(stmt))
    if audience.query is not None:
        try:
            ids.extend(int(i) for i in audience.query(session))
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"the audience query must return party ids (integers): {exc}",
                                  field="audience") from None
    return list(dict.fromkeys(ids))


def resolve(session, audience, *, default_language: str = "zh_CN", today: dt.date | None = None) -> list[Recipient]:
    """The recipients of ``audience``: staff first (by id), then parties (by id); each person once.

    A staff member reads in their ``locale`` (else ``default_language``); owners and tenants in
    Chinese (zh_CN). ``today`` (default: the UTC date) decides which unit relations are current.
    """
    today = today or utcnow().date()
    out = [Recipient("staff", u.id, str(u), u.locale or default_language, u.email or "", u.mobile or "")
           for u in sorted(_staff(session, audience, default_language), key=lambda u: u.id)]
    ids = _party_ids(session, audience, today)
    if ids:
        parties = {p.id: p for p in session.scalars(select(Party).where(Party.id.in_(ids)))}
        missing = [i for i in ids if i not in parties]
        if missing and audience.party_ids and set(missing) & set(audience.party_ids):
            raise ValidationError(f"no owner/tenant with id {', '.join(map(str, sorted(missing)))}: "
                                  "pass ids of existing parties", field="audience")
        out.extend(Recipient("party", p.id, p.name, "zh_CN", p.email or "", p.phone or "")
                   for p in (parties[i] for i in sorted(parties)))
    known = {_digits(r.mobile) for r in out if r.mobile}
    for phone in dict.fromkeys(p.strip() for p in audience.phones if p and p.strip()):
        if len(_digits(phone)) < 7:
            raise ValidationError(f"'{phone}' is not a phone number: give the caller's mobile number",
                                  field="audience")
        if _digits(phone) not in known:  # a named party with that phone was told already
            known.add(_digits(phone))
            out.append(Recipient("phone", 0, phone, "zh_CN", "", phone))
    return out


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())
