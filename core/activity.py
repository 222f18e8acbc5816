"""The activity trail (DESIGN 5, spec 1.4 items 5, 10, 11): every change is attributable.

Every flush records, for each mapped object inserted, updated or deleted (except the audit
tables themselves, see :data:`NOT_TRACKED`), a ``core_activity`` row: who (``actor_id``), when,
the record's table and id, its estate, the action (``create``, ``update``, ``delete``, or
``transition`` when :func:`core.workflow.apply` made the change) and the field changes as
``{field: [old, new]}``, with ID-card numbers and phones masked and secrets replaced by ``"***"``.

Who the actor is: ``session.info["actor"]`` (a :class:`~core.models.StaffUser` or None for the
system). The web layer sets it per request, the CLI for commands run as a user, services that take
an ``actor`` use :func:`acting_as`::

    with acting_as(session, actor):
        party.phone = "13900000000"
        session.flush()          # -> update row by actor, {"phone": ["139****5678", "139****0000"]}

Comments (:func:`add_comment`) and attachments (:func:`attach`) appear on the same
:func:`timeline`. :func:`report_per_staff` counts entries per staff member and action (appraisal).

New records are announced to plugins through ``wuye_record_created(session, record, actor)``, from
the same flush (the webhooks plugin queues its deliveries there).

Opting out: a model with ``__activity__ = False`` is not tracked; ``session.info["wuye_activity"]
= False`` turns recording off for a bulk import or demo data. Models can name more sensitive
columns with ``__sensitive_fields__ = {"contact_mobile": "phone"}``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import json
from contextlib import contextmanager

from sqlalchemy import event, func, insert, inspect, select
from sqlalchemy.orm import Session

from core.context import ACTOR_KEY, WUYE_KEY, acting_as  # noqa: F401  (acting_as: re-exported)
from core.db import utcnow
from core.errors import ValidationError
from core.models.activity import Activity, Attachment
from core.security.masking import mask

ENABLED_KEY = "wuye_activity"
ACTIONS = ("create", "update", "delete", "transition", "comment", "attachment", "escalate")
NOT_TRACKED = frozenset({"core_activity", "core_access_log", "core_workflow_history", "core_workflow_deadlines",
                         "core_sequences", "core_job_runs", "core_seeded_permissions"})
SENSITIVE_FIELDS = {"id_number": "id_number", "phone": "phone", "phone2": "phone", "mobile": "phone"}
MAX_TEXT = 500  # longer values are cut in the stored diff

# Layers above the trail may claim an update to record it in an entry of their own:
# ``claim(session, obj, changes) -> bool``. The workflow engine claims the changes made while a
# transition is applied, and writes one "transition" entry with all of them.
UPDATE_CLAIMS: list = []


@contextmanager
def untracked(session: Session):
    """Write nothing to the activity trail for changes flushed inside the block.

    For bulk work that is nobody's activity: demo data, a year of generated bills. Workflow
    history and the records themselves are written as usual.
    """
    previous = session.info.get(ENABLED_KEY)
    session.info[ENABLED_KEY] = False
    try:
        yield session
    finally:
        if previous is None:
            session.info.pop(ENABLED_KEY, None)
        else:
            session.info[ENABLED_KEY] = previous


def attributed(service):
    """Decorate a service ``f(session, actor, ...)``: what it flushes is attributed to ``actor``.

    A web request already sets the actor on its session; this makes the same true when the service
    runs from the CLI, a job or another plugin's code with a session of its own.
    """

    @functools.wraps(service)
    def wrapper(session, actor, *args, **kwargs):
        if actor is None:
            return service(session, actor, *args, **kwargs)
        with acting_as(session, actor):
            return service(session, actor, *args, **kwargs)

    return wrapper


def _kind(cls: type, key: str) -> str | None:
    extra = getattr(cls, "__sensitive_fields__", None) or {}
    if key in extra:
        return extra[key]
    if key in SENSITIVE_FIELDS:
        return SENSITIVE_FIELDS[key]
    if key.endswith("_phone") or key.endswith("_mobile"):
        return "phone"
    if key.endswith("id_number"):
        return "id_number"
    if any(word in key for word in ("password", "token", "secret")):
        return "secret"
    return None


def _jsonable(value):
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…"
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return str(value)


def _stored(cls: type, key: str, value):
    kind = _kind(cls, key)
    if kind == "secret":
        return "***" if value else value
    if kind and isinstance(value, str) and value:
        return mask(value, kind)
    return _jsonable(value)


def _record_id(obj) -> str:
    pk = inspect(type(obj)).primary_key_from_instance(obj)
    return "/".join(str(v) for v in pk)


def _estate_id(obj) -> int | None:
    if inspect(type(obj)).local_table.name == "core_estates":
        return obj.id
    value = getattr(obj, "estate_id", None)
    return value if isinstance(value, int) else None


def _tracked(obj) -> bool:
    cls = type(obj)
    return getattr(cls, "__activity__", True) and inspect(cls).local_table.name not in NOT_TRACKED


def _changes(obj, mode: str) -> dict:
    cls, state = type(obj), inspect(obj)
    out: dict = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if mode == "update":
            hist = state.attrs[key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if hist.deleted and old == new:
                continue
        else:
            value = state.dict.get(key)
            if value is None or value == "":
                continue
            old, new = (None, value) if mode == "create" else (value, None)
        out[key] = [_stored(cls, key, old), _stored(cls, key, new)]
    if mode != "delete":
        for rel in state.mapper.relationships:
            if rel.secondary is None or rel.key not in state.dict:
                continue
            hist = state.attrs[rel.key].history
            if mode == "create" and hist.added:
                out[rel.key] = [None, sorted(str(o) for o in hist.added)]
            elif mode == "update" and (hist.added or hist.deleted):
                kept = [str(o) for o in hist.unchanged or ()]
                out[rel.key] = [sorted(kept + [str(o) for o in hist.deleted]),
                                sorted(kept + [str(o) for o in hist.added])]
    return out


def _trail_ready(session: Session) -> bool:
    # Until the database has the trail's table (a database not yet upgraded), record nothing
    # rather than break every write; `wuye db check` reports the missing migration.
    conn = session.connection()
    if conn.info.get("wuye_trail_ready"):
        return True
    if inspect(conn).has_table("core_activity"):
        conn.info["wuye_trail_ready"] = True
        return True
    return False


def _row(obj, action: str, actor, changes: dict, detail: str = "", note: str = "", now=None) -> dict:
    return {"at": now or utcnow(), "actor_id": getattr(actor, "id", None),
            "record_table": inspect(type(obj)).local_table.name, "record_id": _record_id(obj),
            "estate_id": _estate_id(obj), "action": action, "detail": detail, "changes": changes, "note": note}


def _attachment_row(att: Attachment, actor, removed: bool) -> dict:
    by = getattr(actor, "id", None) if removed or not att.uploaded_by_id else att.uploaded_by_id
    return {"at": utcnow(), "actor_id": by,
            "record_table": att.record_table, "record_id": att.record_id, "estate_id": att.estate_id,
            "action": "attachment", "detail": att.filename, "changes": {},
            "note": "removed" if removed else f"{att.content_type}, {att.size} bytes"}


@event.listens_for(Session, "after_flush")
def _record_flush(session: Session, flush_context) -> None:
    if session.info.get(ENABLED_KEY) is False:
        return
    actor = session.info.get(ACTOR_KEY)
    rows: list[dict] = []
    created: list = []
    for mode, objs in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objs:
            if isinstance(obj, Attachment):
                if mode != "update":
                    rows.append(_attachment_row(obj, actor, removed=mode == "delete"))
                continue
            if not _tracked(obj):
                continue
            changes = _changes(obj, mode)
            if mode == "update" and not changes:
                continue
            if mode == "update" and any(claim(session, obj, changes) for claim in UPDATE_CLAIMS):
                continue
            rows.append(_row(obj, mode, actor, changes))
            if mode == "create":
                created.append(obj)
    if rows and _trail_ready(session):
        session.connection().execute(insert(Activity.__table__), rows)
    if created:
        _announce_created(session, created, actor)


def _announce_created(session: Session, records: list, actor) -> None:
    """``wuye_record_created`` for each new tracked record (webhooks); cheap when nobody listens."""
    hook = getattr(getattr(session.info.get(WUYE_KEY), "hook", None), "wuye_record_created", None)
    if hook is None or not hook.get_hookimpls():
        return
    for record in records:
        hook(session=session, record=record, actor=actor)


def _target(model_or_record, record_id=None) -> tuple[str, str]:
    if isinstance(model_or_record, str):
        return model_or_record, str(record_id)
    if isinstance(model_or_record, type):
        return inspect(model_or_record).local_table.name, str(record_id)
    return inspect(type(model_or_record)).local_table.name, _record_id(model_or_record)


def record_event(session: Session, actor, table: str, record_id, action: str, *, estate_id: int | None = None,
                 detail: str = "", note: str = "", changes: dict | None = None, at=None) -> Activity:
    """Add an entry to a record's timeline explicitly (jobs, escalations, services)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown activity action {action!r}; use one of {', '.join(ACTIONS)}")
    row = Activity(at=at or utcnow(), actor_id=getattr(actor, "id", None), record_table=table,
                   record_id=str(record_id), estate_id=estate_id, action=action, detail=detail,
                   changes=changes or {}, note=note)
    session.add(row)
    return row


def record_transition(session: Session, record, context) -> Activity | None:
    """The one ``transition`` entry for a transition applied by ``core.workflow.apply``."""
    if session.info.get(ENABLED_KEY) is False:
        return None
    table, record_id = _target(record)
    return record_event(session, context.actor, table, record_id, "transition", estate_id=_estate_id(record),
                        detail=context.transition, note=context.comment, changes=context.changes)


def add_comment(session: Session, actor, record, text: str) -> Activity:
    """Comment on ``record`` (备注); the comment shows on its timeline."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("write a comment", field="comment")
    table, record_id = _target(record)
    row = record_event(session, actor, table, record_id, "comment", estate_id=_estate_id(record), note=text)
    session.flush()
    return row


def attach(session: Session, actor, record, filename: str, data: bytes | None = None, *,
           content_type: str = "application/octet-stream", stored_path: str = "", size: int | None = None
           ) -> Attachment:
    """Attach a file to ``record``: its bytes (kept in the database) or the ``stored_path`` of a file
    the caller saved (then give its ``size``). An ``attachment`` entry joins the record's timeline.

    No checks are made here; new code uses :func:`core.attachments.add_attachment`, which checks the
    type and size, keeps the bytes in the attachment storage and makes thumbnails."""
    filename = (filename or "").strip().replace("\\", "/").rsplit("/", 1)[-1]
    if not filename:
        raise ValidationError("the file needs a name", field="filename")
    if (data is None) == (not stored_path):
        raise ValidationError("give either the file's bytes or the path where it was stored", field="file")
    table, record_id = _target(record)
    att = Attachment(record_table=table, record_id=record_id, estate_id=_estate_id(record), filename=filename,
                     content_type=content_type, size=len(data) if data is not None else (size or 0), data=data,
                     stored_path=stored_path, uploaded_by_id=getattr(actor, "id", None))
    session.add(att)
    session.flush()
    return att


def attachments(session: Session, model_or_record, record_id=None) -> list[Attachment]:
    """Files attached to a record, oldest first (removed ones left out: see core.attachments)."""
    table, rid = _target(model_or_record, record_id)
    return list(session.scalars(select(Attachment).where(Attachment.record_table == table, Attachment.record_id == rid,
                                                         Attachment.removed_at.is_(None)).order_by(Attachment.id)))


def timeline(session: Session, model, record_id=None) -> list[Activity]:
    """A record's activity, oldest first: ``timeline(session, Party, 12)`` or ``timeline(session, party)``."""
    table, rid = _target(model, record_id)
    return list(session.scalars(select(Activity).where(Activity.record_table == table, Activity.record_id == rid)
                                .order_by(Activity.at, Activity.id)))


def report_per_staff(session: Session, since: dt.datetime, until: dt.datetime, estate_ids=None) -> list[dict]:
    """Entries per staff member and action in ``[since, until)`` (考核 statistics), busiest first.

    Returns ``[{"staff_id", "username", "full_name", "counts": {action: n}, "total": n}]``;
    ``estate_ids`` (None = all) keeps entries of those estates only. System entries are left out.
    """
    from core.models import StaffUser

    stmt = (select(Activity.actor_id, Activity.action, func.count())
            .where(Activity.at >= since, Activity.at < until, Activity.actor_id.is_not(None))
            .group_by(Activity.actor_id, Activity.action))
    if estate_ids is not None:
        stmt = stmt.where(Activity.estate_id.in_(list(estate_ids)))
    per: dict[int, dict] = {}
    for actor_id, action, n in session.execute(stmt):
        per.setdefault(actor_id, {})[action] = n
    names = {u.id: u for u in session.scalars(select(StaffUser).where(StaffUser.id.in_(list(per))))}
    out = [{"staff_id": sid, "username": names[sid].username if sid in names else str(sid),
            "full_name": names[sid].full_name if sid in names else "", "counts": counts,
            "total": sum(counts.values())} for sid, counts in per.items()]
    return sorted(out, key=lambda r: (-r["total"], r["username"]))
