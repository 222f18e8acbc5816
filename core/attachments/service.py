"""Adding, reading and removing attachments: the public functions of :mod:`core.attachments`.

Bytes go to the storage (:mod:`core.attachments.storage`), the row to ``core_attachments``. A file is
checked (type by content, size, pixels) before anything is written, so a refused upload leaves
nothing behind; a file written for a transaction that is rolled back is deleted again, and the file
of a removed attachment is deleted once the removal is committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import unicodedata
import uuid

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from core.activity import _estate_id, _target, record_event
from core.attachments.checks import TYPES, check_file, size_text
from core.attachments.mixin import kinds_of
from core.attachments.storage import settings_of, storage_for
from core.attachments.thumbnails import make_thumbnail
from core.context import WUYE_KEY
from core.db import Base, utcnow
from core.errors import NotFound, PermissionDenied, ValidationError
from core.models.activity import Attachment
from core.scoping import authorize, require_in_scope, visible_estate_ids
from core.security.grants import has_permission
from core.text import Text

log = logging.getLogger(__name__)
REMOVE_ANY = "core.attachments.remove_any"
NEW_KEYS = "wuye_attachment_new_keys"  # written in this transaction: deleted if it rolls back
GONE_KEYS = "wuye_attachment_gone_keys"  # of removed attachments: deleted once the removal commits
MAX_NAME = 200


def clean_filename(filename: str) -> str:
    """The name shown for an upload: its last path part, without control characters, at most 200
    characters (the extension kept). Only ever displayed: storage keys never come from it."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:MAX_NAME]
    return name


def model_for_table(table: str) -> type | None:
    """The mapped class of ``table`` (any model known to the process), or None."""
    for mapper in Base.registry.mappers:
        if mapper.local_table is not None and mapper.local_table.name == table:
            return mapper.class_
    return None


def limits_for(session: Session, model: type | None) -> dict:
    """``{"allowed": [type names], "max_bytes": n}`` for files of ``model``: the config's, narrowed
    by the model's ``attachment_types`` and ``attachment_max_mb``."""
    settings = settings_of(session.info.get(WUYE_KEY))
    allowed = [n for n in settings["allowed_types"] if n in TYPES]
    own = getattr(model, "attachment_types", None)
    if own:
        allowed = [n for n in allowed if n in own]
    mb = settings["max_size_mb"]
    own_mb = getattr(model, "attachment_max_mb", None)
    if own_mb:
        mb = min(mb, own_mb)
    return {"allowed": allowed, "max_bytes": mb * 1024 * 1024}


def check_attachment(session: Session, model: type, filename: str, data: bytes, *, field: str = "file") -> str:
    """Check a file for ``model`` as :func:`add_attachment` will (type by content, size), before anything
    is written: a service taking several files refuses the whole request on the first bad one. Returns
    the cleaned file name; a refusal is a ``ValidationError`` on ``field``."""
    if not isinstance(data, bytes | bytearray):
        raise ValidationError(Text("give the file's bytes", "请提供文件内容"), field=field)
    name = clean_filename(filename)
    limits = limits_for(session, model)
    try:
        check_file(name, bytes(data), allowed=limits["allowed"], max_bytes=limits["max_bytes"])
    except ValidationError as exc:
        raise ValidationError(exc.message, field=field) from None
    return name


def _track(session: Session, name: str, keys) -> None:
    session.info.setdefault(name, []).extend(k for k in keys if k)


def add_attachment(session: Session, actor, record, filename: str, data: bytes, *, kind: str = "",
                   permission: str | None = None, now: dt.datetime | None = None) -> Attachment:
    """Attach the file ``data`` named ``filename`` to ``record`` and return the new row.

    The actor must be able to act on ``record`` (its estate; ``permission`` too when given). The file
    is checked first (``ValidationError`` on ``file``: type by content, extension, size, pixels; on
    ``kind``: not one of the model's kinds), then kept in the storage with a thumbnail for images.
    An ``attachment`` entry joins the record's timeline.
    """
    authorize(session, actor, permission, record)
    model = type(record)
    name = clean_filename(filename)
    if not name:
        raise ValidationError(Text("the file needs a name", "文件需要有文件名"), field="file")
    kinds = kinds_of(model)
    if kind and kind not in kinds:
        raise ValidationError(Text(f"unknown kind {kind!r}; use one of {', '.join(kinds)}",
                                   f"未知的附件类别 {kind!r}，可选：{'、'.join(k.zh for k in kinds.values())}"),
                              field="kind")
    limits = limits_for(session, model)
    ftype = check_file(name, data, allowed=limits["allowed"], max_bytes=limits["max_bytes"])
    thumb = None
    if ftype.image:
        try:
            thumb = make_thumbnail(data)
        except Exception as exc:  # noqa: BLE001 - any decoder failure means the image cannot be shown
            log.info("thumbnail of %s failed: %s", name, exc)
            raise ValidationError(Text(f"{name} cannot be read as an image (damaged?); save it again and upload it",
                                       f"{name} 无法作为图片读取（可能已损坏），请重新保存后上传"),
                                  field="file") from None
    now = now or utcnow()
    stem = f"{now:%Y/%m}/{uuid.uuid4().hex}"
    key = f"{stem}.{ftype.extensions[0]}"
    thumb_key = f"{stem}.thumb.{thumb.extension}" if thumb else ""
    storage = storage_for(session)
    table, record_id = _target(record)
    att = Attachment(record_table=table, record_id=record_id, estate_id=_estate_id(record), filename=name,
                     content_type=ftype.content_type, size=len(data), storage_key=key, thumbnail_key=thumb_key,
                     sha256=hashlib.sha256(data).hexdigest(), kind=kind or "",
                     width=thumb.width if thumb else None, height=thumb.height if thumb else None,
                     uploaded_by_id=getattr(actor, "id", None), uploaded_at=now)
    storage.save(key, data)
    try:
        if thumb:
            storage.save(thumb_key, thumb.data)
        session.add(att)
        session.flush()
    except BaseException:
        _delete_quietly(storage, (key, thumb_key))
        raise
    _track(session, NEW_KEYS, (key, thumb_key))
    return att


def record_of(session: Session, att: Attachment):
    """The record ``att`` is attached to, or None when its model or row is gone."""
    model = model_for_table(att.record_table)
    if model is None:
        return None
    pk = inspect(model).primary_key
    if len(pk) != 1:
        return None
    try:
        ident = pk[0].type.python_type(att.record_id)
    except (ValueError, TypeError, NotImplementedError):
        ident = att.record_id
    return session.get(model, ident)


def get_attachment(session: Session, actor, attachment_id, *, removed: bool = False) -> Attachment:
    """The attachment with this id if ``actor`` may see its record (the record's estate and record
    rules), else ``NotFound`` (also for another estate's: the error never says which).
    Removed ones are found only with ``removed=True``."""
    try:
        ident = int(attachment_id)
    except (TypeError, ValueError):
        raise NotFound(f"no attachment with id {attachment_id}") from None
    att = session.get(Attachment, ident) if 0 < ident < 2**31 else None
    if att is None or (att.removed_at is not None and not removed):
        raise NotFound(f"no attachment with id {attachment_id}")
    model = model_for_table(att.record_table)
    if model is not None and len(inspect(model).primary_key) == 1:
        record = record_of(session, att)
        if record is None:
            raise NotFound(f"no attachment with id {attachment_id}")
        require_in_scope(session, actor, record)  # NotFound outside the actor's estates
        return att
    ids = visible_estate_ids(session, actor)
    if actor is None or (ids is not None and att.estate_id not in ids):
        raise NotFound(f"no attachment with id {attachment_id}")
    return att


def list_attachments(session: Session, record, *, removed: bool = False) -> list[Attachment]:
    """The attachments of ``record`` (loaded, already checked by the caller), oldest first;
    removed ones only with ``removed=True``."""
    table, record_id = _target(record)
    stmt = select(Attachment).where(Attachment.record_table == table, Attachment.record_id == record_id)
    if not removed:
        stmt = stmt.where(Attachment.removed_at.is_(None))
    return list(session.scalars(stmt.order_by(Attachment.id)))


def read(session: Session, att: Attachment) -> bytes:
    """The bytes of ``att``: from the storage, or, for rows written by ``core.activity.attach``,
    from the database or the storage path given then. ``NotFound`` when removed or missing."""
    if att.removed_at is not None:
        raise NotFound(f"attachment {att.id} was removed")
    if att.storage_key or att.stored_path:
        try:
            return storage_for(session).open(att.storage_key or att.stored_path)
        except (FileNotFoundError, ValueError):
            raise NotFound(f"the file of attachment {att.id} is missing from the storage") from None
    if att.data is not None:
        return att.data
    raise NotFound(f"attachment {att.id} has no content")


def read_thumbnail(session: Session, att: Attachment) -> tuple[bytes, str]:
    """``(bytes, content type)`` of the thumbnail of ``att``; ``NotFound`` when it has none."""
    if att.removed_at is not None or not att.thumbnail_key:
        raise NotFound(f"attachment {att.id} has no thumbnail")
    try:
        data = storage_for(session).open(att.thumbnail_key)
    except (FileNotFoundError, ValueError):
        raise NotFound(f"the thumbnail of attachment {att.id} is missing from the storage") from None
    return data, "image/webp" if att.thumbnail_key.endswith(".webp") else "image/jpeg"


def may_remove(session: Session, actor, att: Attachment) -> bool:
    """The uploader may remove their own file; anyone else needs ``core.attachments.remove_any``."""
    if actor is None:
        return False
    return att.uploaded_by_id == actor.id or has_permission(session, actor, REMOVE_ANY)


def remove_attachment(session: Session, actor, att: Attachment, *, permission: str | None = None,
                      now: dt.datetime | None = None) -> Attachment:
    """Remove ``att``: the row stays (who removed it, when) and the trail gets an ``attachment``
    entry noted "removed"; the stored file and thumbnail are deleted when the change is committed.

    The actor must be able to act on the record (and hold ``permission`` when given), and be the
    uploader or hold ``core.attachments.remove_any``.
    """
    if att.removed_at is not None:
        raise ValidationError(Text(f"{att.filename} was already removed", f"{att.filename} 已删除"), field="file")
    record = record_of(session, att)
    authorize(session, actor, permission, record if record is not None else att.estate_id)
    if not may_remove(session, actor, att):
        raise PermissionDenied(Text(f"only the uploader or someone with {REMOVE_ANY} may remove {att.filename}",
                                    f"只有上传人或有“删除他人上传的附件”权限的人可以删除 {att.filename}"))
    att.removed_at = now or utcnow()
    att.removed_by_id = getattr(actor, "id", None)
    record_event(session, actor, att.record_table, att.record_id, "attachment", estate_id=att.estate_id,
                 detail=att.filename[:120], note="removed", at=att.removed_at)
    session.flush()
    _track(session, GONE_KEYS, (att.storage_key, att.thumbnail_key))
    return att


def describe(att: Attachment) -> dict:
    """The metadata of ``att`` as the API returns it (no bytes)."""
    return {"id": att.id, "record_table": att.record_table, "record_id": att.record_id, "estate_id": att.estate_id,
            "filename": att.filename, "content_type": att.content_type, "size": att.size,
            "size_text": size_text(att.size), "kind": att.kind, "sha256": att.sha256 or None,
            "width": att.width, "height": att.height, "has_thumbnail": bool(att.thumbnail_key),
            "uploaded_by_id": att.uploaded_by_id,
            "uploaded_at": att.uploaded_at.isoformat() if att.uploaded_at else None,
            "removed_at": att.removed_at.isoformat() if att.removed_at else None,
            "removed_by_id": att.removed_by_id}


# --- files follow the transaction -------------------------------------------------------------
def _delete_quietly(storage, keys) -> None:
    for key in keys:
        if not key:
            continue
        try:
            storage.delete(key)
        except Exception:  # noqa: BLE001 - a leftover file is logged, never a failed request
            log.warning("could not delete attachment file %s", key, exc_info=True)


@event.listens_for(Session, "after_commit")
def _files_after_commit(session: Session) -> None:
    session.info.pop(NEW_KEYS, None)
    gone = session.info.pop(GONE_KEYS, None)
    if gone:
        _delete_quietly(storage_for(session), gone)


@event.listens_for(Session, "after_soft_rollback")
def _files_after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is not None:  # a savepoint inside the transaction: wait for the outcome
        return
    session.info.pop(GONE_KEYS, None)
    new = session.info.pop(NEW_KEYS, None)
    if new:
        _delete_quietly(storage_for(session), new)
