"""Ajax lookups for relation fields (units by room label, people by name or phone, ...), estate-scoped."""

from __future__ import annotations

from flask_admin.model.ajax import AjaxModelLoader
from sqlalchemy import String, cast, or_, select

from core.models import Building, Estate, Party, StaffUser, Unit
from core.web.context import actor, db
from core.web.i18n import lazy_gettext
from core.web.integration import masked, scope

LIMIT = 20


PREFERRED = ("code", "name", "number", "tag_no", "title", "username", "full_name", "room_no")


def _search_columns(model) -> tuple[str, ...]:
    """What to match a typed term against: well-known name columns, else indexed text columns."""
    cols = model.__table__.columns
    found = tuple(f for f in PREFERRED if f in cols)
    if not found:
        found = tuple(c.key for c in cols if isinstance(c.type, String) and (c.index or c.unique))[:3]
    return found or ("id",)


class ScopedLoader(AjaxModelLoader):
    """Base: ``get_one`` and ``get_list`` only ever return rows the current user may see."""

    model: type = None  # type: ignore[assignment]

    def __init__(self, name: str, model: type | None = None, fields: tuple[str, ...] = ()):
        super().__init__(name, {"placeholder": lazy_gettext("Type to search")})
        if model is not None:
            self.model = model
        self.fields = fields or _search_columns(self.model)

    def label(self, row) -> str:
        return str(row)

    def format(self, row):
        if row is None:
            return None
        return row.id, self.label(row)

    def get_one(self, pk):
        try:
            ident = int(pk)
        except (TypeError, ValueError):
            return None
        if not (0 < ident < 2**31):
            return None
        stmt = scope(select(self.model).where(self.model.id == ident), actor(), self.model)
        return db().scalar(stmt)

    def search(self, stmt, term: str):
        cols = [getattr(self.model, f) for f in self.fields]
        return stmt.where(or_(*[cast(c, String).ilike(f"{term}%") for c in cols]))

    def get_list(self, query: str, offset: int = 0, limit: int = LIMIT):
        term = (query or "").strip()[:64].replace("%", "").replace("_", "")
        stmt = scope(select(self.model), actor(), self.model)
        if term:
            stmt = self.search(stmt, term)
        stmt = stmt.order_by(self.model.id).offset(max(0, min(offset or 0, 1000))).limit(min(limit or LIMIT, LIMIT))
        return list(db().scalars(stmt))


class UnitLoader(ScopedLoader):
    """Units by room label: ``1201``, ``3-1201`` (building-room) or ``3-2-1201`` (building-entrance-room)."""

    model = Unit

    def label(self, unit) -> str:
        return f"{unit.estate.code} {unit.label}" if unit.estate else unit.label

    def search(self, stmt, term: str):
        parts = [p for p in term.replace(" ", "-").split("-") if p]
        stmt = stmt.join(Building, Building.id == Unit.building_id)
        if len(parts) >= 2:
            stmt = stmt.where(Building.code == parts[0], Unit.room_no.ilike(f"{parts[-1]}%"))
            if len(parts) >= 3:
                stmt = stmt.where(Unit.entrance == parts[1])
            return stmt
        return stmt.where(Unit.room_no.ilike(f"{term}%"))


class PartyLoader(ScopedLoader):
    """Owners, tenants and other people by name (prefix) or phone (prefix of 4 or more digits)."""

    model = Party

    def label(self, party) -> str:
        phone = masked(db(), actor(), party.phone, "phone") if party.phone else ""
        return f"{party.name} {phone}".strip()

    def search(self, stmt, term: str):
        if term.isdigit() and len(term) >= 4:
            return stmt.where(or_(Party.phone.like(f"{term}%"), Party.name.ilike(f"{term}%")))
        return stmt.where(Party.name.ilike(f"{term}%"))


class BuildingLoader(ScopedLoader):
    model = Building

    def label(self, b) -> str:
        return f"{b.estate.code} {b}" if b.estate else str(b)


LOADERS = {"unit": UnitLoader, "party": PartyLoader, "building": BuildingLoader}
SIMPLE = {"estate": Estate, "staff": StaffUser}


def make_loader(field_name: str, kind: str, target_model: type | None):
    """The loader for a ``lookups`` entry (``{"unit_id": "unit"}``)."""
    if kind in LOADERS:
        return LOADERS[kind](field_name)
    model = SIMPLE.get(kind) or target_model
    if model is None:
        raise ValueError(f"unknown lookup kind '{kind}' for field '{field_name}'; use unit, party, building, "
                         "estate or staff")
    return ScopedLoader(field_name, model)
