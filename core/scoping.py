"""Estate scoping (record rules, DESIGN 8): staff see only the estates (management offices) they
work for. Every read path calls these functions, so lists, counts, detail pages, lookups, the API
and exports cannot disagree:

* :func:`visible_estate_ids` ``(session, actor)`` -> ids, or None for roles with ``all_estates``
  (general manager, company departments);
* :func:`scope` ``(stmt, actor, model)`` adds the estate clause and every ``wuye_record_filter``
  clause to a ``select()`` (or legacy ``Query``): use it for list and count queries;
* :func:`get_scoped` ``(session, actor, model, id)`` loads one record or raises ``NotFound``
  (also for records outside the actor's estates: the error never says which);
* :func:`count_scoped`, :func:`lookup` (ajax lookups by name), :func:`in_scope` (checks a loaded
  record before changing it).

How a model is scoped, first match wins:

1. a classmethod ``__estate_clause__(cls, estate_ids)`` returning a SQL clause (plugins whose rows
   reach their estate through another table);
2. core's own rules in :data:`ESTATE_CLAUSES` (Estate by id; Party and UnitRelation through the
   units they relate to; StaffUser through their estate assignments; Department: its estate's or
   company-level ones);
3. an ``estate_id`` column: ``estate_id IN (...)`` (rows with a null estate are company-level and
   visible only to all-estates roles);
4. otherwise the model is not estate-scoped (roles, reference data); hook clauses still apply.

An actor of None sees nothing (``visible_estate_ids`` is empty).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import and_, exists, false, func, inspect, or_, select
from sqlalchemy.orm import Session, object_session

from core.errors import NotFound, PermissionDenied
from core.models import Department, Estate, Party, StaffUser, Unit, UnitRelation, staff_estates


def visible_estate_ids(session: Session | None, actor) -> frozenset[int] | None:
    """The ids of the estates ``actor`` works for, or None when a role gives every estate."""
    if actor is None or not getattr(actor, "active", False):
        return frozenset()
    if actor.all_estates:
        return None
    return frozenset(e.id for e in actor.estates)


def _party_clause(ids):
    return exists(select(UnitRelation.id).join(Unit, Unit.id == UnitRelation.unit_id)
                  .where(UnitRelation.party_id == Party.id, Unit.estate_id.in_(ids)))


def _relation_clause(ids):
    return exists(select(Unit.id).where(Unit.id == UnitRelation.unit_id, Unit.estate_id.in_(ids)))


def _staff_clause(ids):
    return exists(select(staff_estates.c.staff_id).where(staff_estates.c.staff_id == StaffUser.id,
                                                         staff_estates.c.estate_id.in_(ids)))


def _department_clause(ids):
    return or_(Department.estate_id.is_(None), Department.estate_id.in_(ids))


ESTATE_CLAUSES: dict[type, Callable] = {
    Estate: lambda ids: Estate.id.in_(ids),
    Party: _party_clause,
    UnitRelation: _relation_clause,
    StaffUser: _staff_clause,
    Department: _department_clause,
}


def estate_clause(model: type, estate_ids: Iterable[int]):
    """The clause limiting ``model`` to ``estate_ids``, or None when the model is not estate-scoped."""
    ids = sorted(estate_ids)
    custom = getattr(model, "__estate_clause__", None)
    if custom is not None:
        return custom(ids) if ids else false()
    rule = ESTATE_CLAUSES.get(model)
    if rule is None and "estate_id" not in inspect(model).columns:
        return None
    if not ids:
        return false()
    return rule(ids) if rule is not None else model.estate_id.in_(ids)


def is_scoped(model: type) -> bool:
    """True when rows of ``model`` belong to estates (one of the rules above applies)."""
    return (getattr(model, "__estate_clause__", None) is not None or model in ESTATE_CLAUSES
            or "estate_id" in inspect(model).columns)


def _wuye_of(session: Session | None, actor):
    session = session or (object_session(actor) if actor is not None else None)
    return session.info.get("wuye") if session is not None else None


def record_filters(session: Session | None, actor, model: type) -> list:
    """The clauses plugins add through ``wuye_record_filter(actor, model)`` (all ANDed)."""
    wuye = _wuye_of(session, actor)
    if wuye is None:
        return []
    return [c for c in wuye.hook.wuye_record_filter(actor=actor, model=model) if c is not None]


def clauses(session: Session | None, actor, model: type) -> list:
    """Every clause restricting ``model`` for ``actor``: the estate rule, then the hooks'."""
    out = []
    ids = visible_estate_ids(session, actor)
    if ids is not None:
        clause = estate_clause(model, ids)
        if clause is not None:
            out.append(clause)
        elif actor is None or not actor.active:
            out.append(false())
    out.extend(record_filters(session, actor, model))
    return out


def scope(stmt, actor, model: type, *, session: Session | None = None):
    """``stmt`` (a ``select()`` or ``Query`` over ``model``) limited to what ``actor`` may see.

    ``session`` is needed only when ``actor`` is not attached to one (for the hook clauses).
    """
    found = clauses(session, actor, model)
    return stmt.where(and_(*found)) if found else stmt


def scoped_select(session: Session, actor, model: type):
    """``select(model)`` limited to what ``actor`` may see."""
    return scope(select(model), actor, model, session=session)


def _pk(model: type):
    cols = inspect(model).primary_key
    if len(cols) != 1:
        raise TypeError(f"{model.__name__} has a composite primary key; scope a select() instead")
    return cols[0]


def get_scoped(session: Session, actor, model: type, record_id, *, options: Iterable = ()):
    """The ``model`` row with primary key ``record_id`` if ``actor`` may see it, else ``NotFound``.

    ``options`` are loader options for the statement (e.g. ``joinedload(Unit.building)``).
    """
    stmt = select(model).where(_pk(model) == record_id).options(*options)
    record = session.scalar(scope(stmt, actor, model, session=session))
    if record is None:
        raise NotFound(f"no {model.__name__} with id {record_id}")
    return record


def count_scoped(session: Session, actor, model: type, *criteria) -> int:
    """How many ``model`` rows matching ``criteria`` ``actor`` may see."""
    stmt = scope(select(func.count()).select_from(model).where(*criteria), actor, model, session=session)
    return session.scalar(stmt) or 0


def lookup(session: Session, actor, model: type, term: str, *, fields: Iterable[str] = ("name",),
           limit: int = 20) -> list:
    """Rows whose ``fields`` contain ``term`` (case-insensitive), within scope: ajax lookups."""
    term = (term or "").strip()
    stmt = select(model)
    if term:
        pattern = f"%{term.lower()}%"
        stmt = stmt.where(or_(*[func.lower(getattr(model, f)).like(pattern) for f in fields]))
    stmt = scope(stmt.order_by(*[getattr(model, f) for f in fields]).limit(limit), actor, model, session=session)
    return list(session.scalars(stmt))


def in_scope(session: Session, actor, record) -> bool:
    """True when ``actor`` may see ``record`` (a loaded object; a pending one is flushed first)."""
    model = type(record)
    ids = visible_estate_ids(session, actor)
    hooks = record_filters(session, actor, model)
    if not hooks:
        if ids is None or not is_scoped(model):
            return actor is not None and actor.active
        custom = getattr(model, "__estate_clause__", None) is not None or model in ESTATE_CLAUSES
        if not custom:
            return record.estate_id in ids
    if inspect(record).identity is None:
        session.flush()
    identity = inspect(record).identity
    if identity is None or len(identity) != 1:
        raise TypeError(f"{model.__name__}: in_scope needs a persistent record with a single-column key")
    stmt = scope(select(_pk(model)).where(_pk(model) == identity[0]), actor, model, session=session)
    return session.scalar(stmt) is not None


def require_in_scope(session: Session, actor, record) -> None:
    """Raise ``NotFound`` unless ``actor`` may see ``record`` (use before changing a loaded record)."""
    if not in_scope(session, actor, record):
        raise NotFound(f"no {type(record).__name__} with id {inspect(record).identity}")


def authorize(session: Session, actor, permission: str | None = None, target=None) -> None:
    """The one check a service makes before it changes anything: may ``actor`` do this here?

    * ``actor`` None is the system and passes only in a system session (:func:`core.as_system`,
      scheduled jobs); anywhere else it is refused;
    * ``permission`` (if given) must be granted to one of the actor's roles;
    * ``target`` (if given) is where the work happens: a loaded record (the estate rule *and*
      every ``wuye_record_filter`` clause apply, as for lists), an ``Estate``, or an estate id.

    Raises ``PermissionDenied`` naming the fix; returns None.
    """
    from core.context import is_system
    from core.security.grants import require

    if is_system(session, actor):
        return
    if actor is None:
        raise PermissionDenied("no staff member is acting; sign in (or run the work as a scheduled job)")
    if permission is not None:
        require(session, actor, permission)
    if target is None:
        return
    if isinstance(target, int | Estate):
        estate_id = target if isinstance(target, int) else target.id
        ids = visible_estate_ids(session, actor)
        if ids is not None and estate_id not in ids:
            raise PermissionDenied(f"{actor.username} does not work for estate {estate_id}; "
                                   "ask the general manager to assign the estate to the account")
        return
    if not in_scope(session, actor, target):
        raise PermissionDenied(f"{actor.username} may not act on this {type(target).__name__} "
                               "(another estate's, or outside the records the account may see)")
