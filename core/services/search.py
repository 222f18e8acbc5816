"""The top-bar search (搜索): units by the label people type, parties by name or phone tail, and every
plugin's documents (``wuye_search``).

What people type for unit 3-1-1201 (building 3, entrance/单元 1, room 1201) — all understood::

    3-1-1201   3栋1-1201   3栋1单元1201   3号楼1单元1201室   ３－１－１２０１   3 1 1201
    3栋1201 / 3-1201   building 3, room 1201 in any entrance
    1201               room 1201 in any building

Every query is bounded (``LIMIT``) and index-friendly: units by exact building code, entrance and
room number (the unique index ``building_id, entrance, room_no`` and ``ix_core_units_room_no``),
parties by name prefix (``lower(name) LIKE 'x%'``, ``ix_core_parties_name_prefix``). A phone tail
(4 or more digits) is ``reverse(phone) LIKE '8765%'`` on PostgreSQL, served by
``ix_core_parties_phone_tail`` (migration core_0006).

Masking: a user without ``core.parties.view_sensitive`` sees a party's phone masked
(``139****5678``), as in the owner list. Such a user may find a party by phone tail, but only the
last 4 digits of what they typed are matched — the digits the mask shows anyway — so a hit never
confirms a hidden digit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from core.clock import estate_today
from core.errors import ValidationError
from core.models import Building, Party, RelationKind, Unit, UnitRelation
from core.scoping import scope
from core.security.grants import has_permission
from core.security.masking import VIEW_SENSITIVE, mask_phone
from core.text import Text

MAX_QUERY = 100  # characters; longer is refused (a pasted paragraph is not a search)
UNIT_LIMIT = 20
PARTY_LIMIT = 10
CANDIDATES = 50  # parties read before sorting by name
PLUGIN_LIMIT = 10  # per plugin

UNIT = Text("Unit", "房屋")
RELATION_LABELS = {
    RelationKind.owner: Text("Owner", "业主"), RelationKind.tenant: Text("Tenant", "租户"),
    RelationKind.household_member: Text("Household member", "家庭成员"),
    RelationKind.agent: Text("Agent", "受托人"), RelationKind.contractor: Text("Contractor", "装修企业"),
}

# markers people type between the parts of a unit label
_BUILDING = re.compile(r"(号楼|栋|幢|座|楼)")
_ENTRANCE = re.compile(r"单元")
_ROOM_END = re.compile(r"(室|号|房)$")
_DASHES = re.compile(r"[\s\-‐‑‒–—―−－_/\\#]+")
_TOKEN = re.compile(r"^[A-Za-z0-9]{1,16}$")


@dataclass(frozen=True)
class UnitQuery:
    """A unit label as typed: ``room`` always, ``building`` and ``entrance`` when given."""

    room: str
    building: str | None = None
    entrance: str | None = None


def normalize(text: str) -> str:
    """Full-width digits, letters and dashes to ASCII (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", text or "").strip()


def parse_unit(text: str) -> UnitQuery | None:
    """The unit a query names (``3-1-1201``, ``3栋1单元1201``, ``1201`` ...), or None when it is not a label."""
    s = normalize(text)
    if not s or not any(c.isdigit() for c in s):
        return None
    s = _ROOM_END.sub("", s)
    s = _BUILDING.sub("-", s)
    s = _ENTRANCE.sub("-", s)
    parts = [p for p in _DASHES.split(s) if p]
    if not parts or len(parts) > 3 or not all(_TOKEN.match(p) for p in parts):
        return None
    if len(parts) == 1:
        return UnitQuery(room=parts[0])
    if len(parts) == 2:
        return UnitQuery(building=parts[0], room=parts[1])
    return UnitQuery(building=parts[0], entrance=parts[1], room=parts[2])


def phone_digits(text: str) -> str | None:
    """The digits of a phone (tail) query: 4+ digits, separators allowed only in a full number (7+)."""
    s = normalize(text)
    digits = re.sub(r"[\s\-]", "", s)
    if not digits.isdigit() or len(digits) < 4:
        return None
    if digits != s and len(digits) < 7:  # "3-1-1201" is a unit, not a phone
        return None
    return digits


def find_units(session: Session, actor, query: UnitQuery, *, limit: int = UNIT_LIMIT) -> list[Unit]:
    if not has_permission(session, actor, "core.units.view"):
        return []
    stmt = (select(Unit).options(joinedload(Unit.building), joinedload(Unit.estate))
            .where(func.lower(Unit.room_no) == query.room.lower()))
    if query.building is not None:
        stmt = stmt.join(Building, Building.id == Unit.building_id).where(
            func.lower(Building.code) == query.building.lower())
    if query.entrance is not None:
        stmt = stmt.where(Unit.entrance == query.entrance)
    stmt = scope(stmt, actor, Unit, session=session).order_by(Unit.estate_id, Unit.building_id, Unit.entrance,
                                                               Unit.id).limit(limit)
    return list(session.scalars(stmt).unique())


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def phone_tail_clause(session: Session, digits: str):
    """Phones ending in ``digits``: ``reverse(phone) LIKE '8765%'`` on PostgreSQL, which the index
    ``ix_core_parties_phone_tail`` serves (core_0006); a suffix ``LIKE`` elsewhere (SQLite has no reverse())."""
    if session.get_bind().dialect.name == "postgresql":
        return func.reverse(Party.phone).like(digits[::-1] + "%")
    return Party.phone.like("%" + digits)


def find_parties(session: Session, actor, text: str, *, limit: int = PARTY_LIMIT) -> list[Party]:
    """Parties whose name starts with ``text`` or whose phone ends with its digits (see the module doc)."""
    if not has_permission(session, actor, "core.parties.view"):
        return []
    s = normalize(text)
    digits = phone_digits(s)
    if digits is not None:
        if not has_permission(session, actor, VIEW_SENSITIVE):
            digits = digits[-4:]
        clause = phone_tail_clause(session, digits)
    elif any(c.isdigit() for c in s) or len(s) < 1:
        return []
    else:
        clause = func.lower(Party.name).like(_escape_like(s.lower()) + "%", escape="\\")
    # No ORDER BY in SQL: sorting every match of a common surname (王) would read them all; the first
    # CANDIDATES the index yields are sorted here instead, so the statement stops early.
    stmt = scope(select(Party).where(clause), actor, Party, session=session).limit(CANDIDATES)
    return sorted(session.scalars(stmt), key=lambda p: (p.name, p.id))[:limit]


def current_units_of(session: Session, party: Party, limit: int = 5) -> list[tuple[UnitRelation, Unit]]:
    """The party's relations still open (no end date or ending in the future), with their units."""
    today = estate_today(session)  # the company's day; a pinned business date wins
    stmt = (select(UnitRelation).options(joinedload(UnitRelation.unit).joinedload(Unit.building))
            .where(UnitRelation.party_id == party.id)
            .where(UnitRelation.end_on.is_(None) | (UnitRelation.end_on >= today))
            .order_by(UnitRelation.start_on, UnitRelation.id).limit(limit))
    return [(r, r.unit) for r in session.scalars(stmt)]


def shown_phone(session: Session, actor, phone: str) -> str:
    if not phone:
        return ""
    return phone if has_permission(session, actor, VIEW_SENSITIVE) else mask_phone(phone)


def check_query(text: str | None) -> str:
    """The stripped query, or ``ValidationError`` for an empty or too long one."""
    q = normalize(text or "")
    if not q:
        raise ValidationError(Text("Type something to search for: a unit such as 3-1-1201, a name, a phone's "
                                   "last 4 digits or a document number.",
                                   "请输入要搜索的内容:房号(如 3-1-1201)、姓名、手机尾号(后 4 位)或单据编号。"), field="q")
    if any(unicodedata.category(c) == "Cc" for c in q):  # NUL and other control characters: PostgreSQL refuses NUL
        raise ValidationError(Text("The search contains control characters; type letters, digits or dashes.",
                                   "搜索内容含有控制字符,请输入文字、数字或短横线。"), field="q")
    if len(q) > MAX_QUERY:
        raise ValidationError(Text(f"The search is too long: at most {MAX_QUERY} characters.",
                                   f"搜索内容过长:最多 {MAX_QUERY} 个字符。"), field="q")
    return q
