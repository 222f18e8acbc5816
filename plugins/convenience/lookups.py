"""Rows picked by id in a service's input (``unit_id``, ``item_id``, ...): a missing one is a field error."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core import Text, ValidationError


def existing(session: Session, model: type, ident, field: str):
    """The ``model`` row with id ``ident``, or a ``ValidationError`` on ``field`` naming the fix."""
    row = session.get(model, ident) if ident is not None else None
    if row is None:
        raise ValidationError(Text(f"no {model.__name__} with id {ident!r}; pick an existing one", f"找不到编号为 {ident!r} 的记录，请选择已有记录"), field=field)
    return row
