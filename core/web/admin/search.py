"""List search and list loading for generated admin screens, shaped so indexes can serve them.

Flask-Admin's own search wraps every field in ``CAST(... AS VARCHAR) ILIKE '%term%'``, which no
index serves: over a million units each search was a full scan. Here a term matches the *start*
of a field, case-insensitively: ``lower(field) LIKE 'term%'``. On PostgreSQL an expression index
``lower(field) text_pattern_ops`` (``core.db.prefix_search_index``) serves that in any collation,
so a model makes a search field fast by declaring one. ``=term`` matches the whole field.
"""

from __future__ import annotations

from sqlalchemy import Enum, String, cast, func, inspect, or_
from sqlalchemy.orm import RelationshipProperty, selectinload


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_clause(model: type, fields, term: str):
    """The clause matching one search term against ``fields`` of ``model`` (any field may match)."""
    exact = term.startswith("=")
    word = (term[1:] if term[:1] in ("=", "^") else term).lower()
    clauses = []
    for name in fields:
        column = getattr(model, name)
        if not isinstance(column.type, String) or isinstance(column.type, Enum):  # lower() wants text
            column = cast(column, String)
        value = func.lower(column)
        clauses.append(value == word if exact else value.like(_escape_like(word) + "%", escape="\\"))
    return or_(*clauses)


def apply_search(model: type, fields, query, count_query, search: str):
    """``query`` and ``count_query`` narrowed by every space-separated term of ``search``."""
    for term in search.split():
        if term in ("=", "^"):
            continue
        clause = search_clause(model, fields, term)
        query = query.filter(clause)
        if count_query is not None:
            count_query = count_query.filter(clause)
    return query, count_query


def list_loads(model: type, columns) -> list:
    """Loader options fetching, in one query per page, the records that listed foreign keys show.

    A list column ``building_id`` is displayed as its building's label; without this each row of the
    page would load its building separately (25 queries for a page of 25 units in 25 buildings).
    """
    wanted = set(columns)
    loads = []
    for rel in inspect(model).relationships:
        if isinstance(rel, RelationshipProperty) and not rel.uselist:
            local = [c.key for c in rel.local_columns]
            if len(local) == 1 and local[0] in wanted:
                loads.append(selectinload(rel.class_attribute))
    return loads
