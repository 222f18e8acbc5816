"""Owner archives (业主档案): register one per unit and owner, file documents, close on moving out,
the completeness check (which required documents are missing) and the retention review.

Retention (KF09 §4.6): archives are kept permanently by default; with ``retention_years`` set, closed
archives older than that are *listed for review*. Nothing is ever deleted automatically.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import (
    Conflict,
    ValidationError,
    authorize,
    estate_today,
    has_permission,
    next_number,
    owners_of,
    scoped_select,
)
from core.models import Party, RelationKind, Unit, UnitRelation
from plugins.archive.models import ArchiveDocument, ArchiveStatus, DocumentType, OwnerArchive, Sensitivity
from plugins.archive.sections import contributed_sections
from plugins.archive.settings import archive_settings

VIEW, MANAGE = "archive.view", "archive.manage"

# Contracts and copies of certificates carry ID numbers: confidential unless said otherwise.
CONFIDENTIAL_TYPES = frozenset({DocumentType.purchase_contract, DocumentType.owner_certificate})


def archive_for(session, unit_id: int, party_id: int) -> OwnerArchive | None:
    return session.scalars(select(OwnerArchive).where(OwnerArchive.unit_id == unit_id,
                                                      OwnerArchive.party_id == party_id)).first()


def register_archive(session, actor, unit: Unit, party: Party, *, opened_on: dt.date | None = None,
                     location: str = "", remarks: str = "") -> OwnerArchive:
    """Start the archive of ``party`` at ``unit`` (建档); one per unit and owner (``Conflict`` twice)."""
    authorize(session, actor, MANAGE, unit)
    if session.scalars(select(UnitRelation.id).where(UnitRelation.unit_id == unit.id, UnitRelation.party_id == party.id,
                                                     UnitRelation.kind == RelationKind.owner)).first() is None:
        raise ValidationError({"party_id": [f"{party.name} has never owned unit {unit.label}: record the ownership "
                                            "on the unit first (an archive is an owner's)"]})
    if archive_for(session, unit.id, party.id) is not None:
        raise Conflict(f"{party.name} already has an archive for unit {unit.label}: file documents in it")
    if len(location) > 100:
        raise ValidationError({"location": ["at most 100 characters"]})
    if len(remarks) > 1000:
        raise ValidationError({"remarks": ["at most 1000 characters"]})
    day = opened_on or estate_today(session, unit.estate_id)
    archive = OwnerArchive(estate_id=unit.estate_id, unit_id=unit.id, party_id=party.id, opened_on=day,
                           number=next_number(session, "DA", estate_id=unit.estate_id, year=day.year),
                           location=location.strip(), remarks=remarks.strip())
    session.add(archive)
    session.flush()
    return archive


def ensure_archives(session, actor, unit: Unit, *, on: dt.date | None = None) -> list[OwnerArchive]:
    """The archives of the unit's current owners, registering the missing ones (e.g. at move-in)."""
    out = []
    for party in owners_of(session, unit, on):
        out.append(archive_for(session, unit.id, party.id)
                   or register_archive(session, actor, unit, party, opened_on=on))
    return out


def file_document(session, actor, archive: OwnerArchive, doc_type: str | DocumentType, *, title: str = "",
                  dated_on: dt.date | None = None, pages: int = 1,
                  sensitivity: str | Sensitivity | None = None) -> ArchiveDocument:
    """File a document in the archive (归档); contracts and certificates are confidential by default."""
    authorize(session, actor, MANAGE, archive)
    try:
        kind = DocumentType(doc_type)
    except ValueError:
        raise ValidationError({"doc_type": [f"unknown document type '{doc_type}'; give one of "
                                            f"{', '.join(t.value for t in DocumentType)}"]}) from None
    if not isinstance(pages, int) or not 1 <= pages <= 10000:
        raise ValidationError({"pages": ["give the number of pages, 1 to 10000"]})
    if len(title) > 200:
        raise ValidationError({"title": ["at most 200 characters"]})
    if sensitivity is None:
        level = Sensitivity.confidential if kind in CONFIDENTIAL_TYPES else Sensitivity.normal
    else:
        try:
            level = Sensitivity(sensitivity)
        except ValueError:
            raise ValidationError({"sensitivity": ["give normal or confidential"]}) from None
    if archive.status != ArchiveStatus.active:
        raise Conflict(f"archive {archive.number} is closed: documents go into the new owner's archive")
    doc = ArchiveDocument(estate_id=archive.estate_id, archive_id=archive.id, doc_type=kind, title=title.strip(),
                          dated_on=dated_on, pages=pages, sensitivity=level, filed_by_id=getattr(actor, "id", None))
    session.add(doc)
    session.flush()
    session.refresh(archive, ["documents"])
    return doc


def close_archive(session, actor, archive: OwnerArchive, *, on: dt.date | None = None) -> OwnerArchive:
    """Close the archive when the owner moves out or sells (结档); it is kept, never deleted."""
    authorize(session, actor, MANAGE, archive)
    if archive.status == ArchiveStatus.closed:
        raise Conflict(f"archive {archive.number} is closed already (on {archive.closed_on})")
    archive.status = ArchiveStatus.closed
    archive.closed_on = on or estate_today(session, archive.estate_id)
    session.flush()
    return archive


def missing_documents(session, archive: OwnerArchive, *, required: list[str] | None = None) -> list[DocumentType]:
    """The required document types (company setting ``required_documents``) the archive lacks: neither
    filed in it nor proved by a part another plugin contributes (``provides``)."""
    required = required if required is not None else archive_settings(session)["required_documents"]
    have = {d.doc_type.value for d in archive.documents}
    for section in contributed_sections(session, archive):
        have.update(section.provides)
    return [DocumentType(t) for t in required if t not in have]


def completeness(session, archive: OwnerArchive, *, required: list[str] | None = None) -> dict:
    """``{"required": n, "present": n, "missing": [types], "complete": bool}`` of one archive."""
    required = required if required is not None else archive_settings(session)["required_documents"]
    missing = missing_documents(session, archive, required=required)
    return {"required": len(required), "present": len(required) - len(missing), "missing": missing,
            "complete": not missing}


def incomplete_archives(session, actor, *, estate_id: int | None = None,
                        limit: int = 500) -> list[tuple[OwnerArchive, list[DocumentType]]]:
    """Active archives missing required documents (the completeness report), ordered by unit."""
    authorize(session, actor, VIEW)
    required = archive_settings(session)["required_documents"]
    stmt = scoped_select(session, actor, OwnerArchive).where(OwnerArchive.status == ArchiveStatus.active)
    if estate_id is not None:
        stmt = stmt.where(OwnerArchive.estate_id == estate_id)
    out = []
    for archive in session.scalars(stmt.order_by(OwnerArchive.estate_id, OwnerArchive.unit_id).limit(limit)):
        missing = missing_documents(session, archive, required=required)
        if missing:
            out.append((archive, missing))
    return out


def past_retention(session, actor, *, today: dt.date, years: int | None = None) -> list[OwnerArchive]:
    """Closed archives older than the retention period, for review (nothing is deleted).
    ``retention_years`` 0 (the default, KF09 §4.6 permanent retention) lists none."""
    authorize(session, actor, VIEW)
    years = years if years is not None else archive_settings(session)["retention_years"]
    if not years:
        return []
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    stmt = scoped_select(session, actor, OwnerArchive).where(OwnerArchive.status == ArchiveStatus.closed,
                                                             OwnerArchive.closed_on <= cutoff)
    return list(session.scalars(stmt.order_by(OwnerArchive.closed_on, OwnerArchive.id)))


def can_view(session, actor) -> bool:
    return actor is not None and has_permission(session, actor, VIEW)
