"""Numbering and the issue log (core_document_issues): the first issue of a document for a record
takes a number, every later one is a reprint (补打) with the same number and the next copy count."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.clock import as_utc, estate_today, utcnow
from core.models.document import DocumentIssue
from core.sequences import next_number


def issues_of(session: Session, name: str, record, *, key: str = "") -> list[DocumentIssue]:
    """The issues of document ``name`` for ``record`` (and parameters ``key``), oldest first."""
    return list(session.scalars(select(DocumentIssue).where(*_where(name, record, key)).order_by(DocumentIssue.id)))


def _where(name: str, record, key: str):
    return (DocumentIssue.document == name, DocumentIssue.record_table == record.__table__.name,
            DocumentIssue.record_id == record.id, DocumentIssue.params_key == key)


# A clerk opens the print view, then downloads the PDF, or prints again because the printer jammed:
# that is still the one original, not a 补打 copy. Only a later print, or one by someone else, is a
# reprint that the document says it is.
SAME_ISSUE_WITHIN = dt.timedelta(minutes=15)


def issue(session: Session, actor, doc, record, *, key: str = "", estate_id: int | None = None,
          now: dt.datetime | None = None) -> DocumentIssue:
    """Log one issue of ``doc`` for ``record``: numbered on the first, a reprint after. Flushes.

    The same person printing the same document again within :data:`SAME_ISSUE_WITHIN` of their last
    issue gets that issue back (its number and copy count): viewing and then downloading is one print."""
    now = now or utcnow()
    latest = session.scalar(select(DocumentIssue).where(*_where(doc.name, record, key))
                            .order_by(DocumentIssue.id.desc()).limit(1))
    if (latest is not None and latest.issued_by_id == getattr(actor, "id", None) and actor is not None
            and dt.timedelta(0) <= now - as_utc(latest.issued_at) <= SAME_ISSUE_WITHIN):
        return latest
    for _attempt in range(3):
        try:
            # two clerks printing at once: the unique copy count decides, and the savepoint gives a
            # number taken by the loser back to the sequence
            with session.begin_nested():
                row = _new_row(session, doc, record, key, estate_id, now)
                row.issued_by_id = getattr(actor, "id", None)
                session.add(row)
            return row
        except IntegrityError:
            continue
    raise RuntimeError(f"could not log an issue of {doc.name}")  # pragma: no cover



def _new_row(session: Session, doc, record, key: str, estate_id: int | None, now: dt.datetime) -> DocumentIssue:
    where = _where(doc.name, record, key)
    original = session.scalar(select(DocumentIssue).where(*where).order_by(DocumentIssue.id).limit(1))
    row = DocumentIssue(document=doc.name, record_table=record.__table__.name, record_id=record.id,
                        params_key=key, estate_id=estate_id, issued_at=now)
    if original is None:
        row.number, row.copy_no = _first_number(session, doc, record, estate_id, now), 0
    else:
        copies = session.scalar(select(func.max(DocumentIssue.copy_no)).where(*where)) or 0
        row.number, row.copy_no, row.reprint_of_id = original.number, copies + 1, original.id
    return row


def _first_number(session: Session, doc, record, estate_id: int | None, now: dt.datetime) -> str | None:
    if doc.number is not None:
        return doc.number(record)
    if not doc.numbered:
        return None
    year = estate_today(session, estate_id, now=now).year
    return next_number(session, doc.kind, estate_id=estate_id, year=year)
