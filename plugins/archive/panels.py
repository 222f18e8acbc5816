"""The owner archive on the unit's page: the archives of the unit (number, owner, status) with their
completeness and what is missing, linked to the archive's record page. Shows no personal data,
so opening the unit page is not an archive opening (nothing logged)."""

from __future__ import annotations

from core import Panel, Text, has_permission, scoped_select
from plugins.archive.archives import missing_documents
from plugins.archive.models import ArchiveStatus, DocumentType, OwnerArchive

VIEW = "archive.view"


def _type_label(kind: DocumentType) -> Text:
    en, zh = DocumentType.__labels__[kind.value]
    return Text(en, zh)


def unit_panels(session, actor, unit) -> list[Panel]:
    if not has_permission(session, actor, VIEW):
        return []
    found = list(session.scalars(scoped_select(session, actor, OwnerArchive).where(OwnerArchive.unit_id == unit.id)
                                 .order_by(OwnerArchive.status, OwnerArchive.opened_on.desc()).limit(10)))
    rows, incomplete = [], 0
    for archive in found:
        missing = missing_documents(session, archive) if archive.status == ArchiveStatus.active else []
        incomplete += bool(missing)
        state = (Panel.flag(Text("Closed", "已结档"), "secondary") if archive.status == ArchiveStatus.closed
                 else Panel.flag(Text("Complete", "齐全"), "success") if not missing
                 else Panel.flag(Text(f"{len(missing)} missing", f"缺{len(missing)}项"), "warning"))
        rows.append([Panel.link(archive.number, "archive_archives", archive.id), archive.party.name, state,
                     "、".join(_type_label(t).zh for t in missing)])
    facts = [(Text("Archives", "档案数"), len(found))]
    if incomplete:
        facts.append((Text("Incomplete", "资料不全"), Panel.flag(str(incomplete), "warning")))
    actions = []
    if has_permission(session, actor, "archive.manage"):
        actions.append(Panel.action(Text("Register an archive", "建档"), "archive_archives", unit_id=unit.id))
    return [Panel(title="Owner archive", title_zh="业主档案", key="archive", facts=facts,
                  columns=[Text("Archive no.", "档案编号"), Text("Owner", "业主"), Text("Completeness", "完整性"),
                           Text("Missing", "缺少资料")],
                  rows=rows, actions=actions, empty=Text("No archive registered.", "尚未建档。"), order=40)]
