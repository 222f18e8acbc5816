"""The parts (sections) of an owner archive: its own (index, ownership history, household,
documents; identity and contracts are confidential) and those other plugins contribute through
``wuye_archive_sections``. Nothing here checks access: ``access.py`` does, and logs it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from core import ValidationError
from core.models import RelationKind, UnitRelation
from plugins.archive.models import DocumentType, OwnerArchive, Sensitivity

LEVELS = frozenset(s.value for s in Sensitivity)


@dataclass
class Section:
    """One part of an archive as shown: heading, secrecy, table and links."""

    key: str
    title: str
    title_zh: str
    level: str = Sensitivity.normal.value
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    links: list = field(default_factory=list)
    provides: list = field(default_factory=list)
    plugin: str = "archive"

    @property
    def confidential(self) -> bool:
        return self.level == Sensitivity.confidential.value

    def as_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "title_zh": self.title_zh, "level": self.level,
                "plugin": self.plugin, "columns": [list(c) for c in self.columns],
                "rows": [[_plain(v) for v in row] for row in self.rows], "links": list(self.links)}


def _plain(value):
    if value is None or isinstance(value, (int, str, float, bool)):
        return value
    return str(getattr(value, "value", value))


def _label(enum_value) -> str:
    labels = getattr(type(enum_value), "__labels__", {})
    return labels.get(enum_value.value, (enum_value.value, enum_value.value))[1]


def _relations(session, unit_id: int, kinds) -> list[UnitRelation]:
    return list(session.scalars(select(UnitRelation).where(UnitRelation.unit_id == unit_id,
                                                           UnitRelation.kind.in_(kinds))
                                .order_by(UnitRelation.start_on, UnitRelation.id)))


def own_sections(session, archive: OwnerArchive) -> list[Section]:
    """The archive's own parts, from the archive row, core's unit relations and the filed documents."""
    party, unit = archive.party, archive.unit
    index = Section("index", "Archive index", "档案目录", columns=[("Archive no.", "档案编号"), ("Unit", "楼号房号"),
                                                              ("Owner", "业主"), ("Opened", "建档日期"),
                                                              ("Status", "状态"), ("Location", "存放位置")],
                    rows=[[archive.number, unit.label, party.name, archive.opened_on, _label(archive.status),
                           archive.location]])
    owners = _relations(session, unit.id, [RelationKind.owner])
    ownership = Section("ownership", "Changes of ownership", "产权变更记录",
                        columns=[("Owner", "业主"), ("Share", "份额"), ("From", "起"), ("Until", "止")],
                        rows=[[r.party.name, r.share, r.start_on, r.end_on or ""] for r in owners])
    others = _relations(session, unit.id, [RelationKind.household_member, RelationKind.tenant, RelationKind.agent])
    household = Section("household", "Household and occupants", "家庭成员及住户",
                        columns=[("Name", "姓名"), ("Relation", "关系"), ("From", "起"), ("Until", "止")],
                        rows=[[r.party.name, r.relation_to_owner or _label(r.kind), r.start_on, r.end_on or ""]
                              for r in others])
    docs = [d for d in archive.documents if d.sensitivity == Sensitivity.normal]
    secret = [d for d in archive.documents if d.sensitivity == Sensitivity.confidential]
    doc_columns = [("Type", "资料类型"), ("Title", "资料名称"), ("Dated", "日期"), ("Pages", "页数")]
    documents = Section("documents", "Documents", "档案资料", columns=doc_columns,
                        rows=[[_label(d.doc_type), d.title, d.dated_on or "", d.pages] for d in docs])
    people = [party] + [r.party for r in others]
    identity = Section("identity", "Identity and contact details", "身份及联系资料", level="confidential",
                       columns=[("Name", "姓名"), ("ID type", "证件类型"), ("ID number", "证件号码"),
                                ("Phone", "电话"), ("Address", "地址")],
                       rows=[[p.name, p.id_type, p.id_number, p.phone, p.address] for p in people])
    contracts = Section("contracts", "Contracts and certificates", "合同及证件", level="confidential",
                        columns=doc_columns,
                        rows=[[_label(d.doc_type), d.title, d.dated_on or "", d.pages] for d in secret])
    return [index, ownership, household, documents, identity, contracts]


def contributed_sections(session, archive: OwnerArchive) -> list[Section]:
    """What the enabled plugins contribute through ``wuye_archive_sections`` (none without an instance)."""
    wuye = session.info.get("wuye")  # core.context.WUYE_KEY: absent on a bare session (no plugins to ask)
    if wuye is None:
        return []
    out: list[Section] = []
    for plugin, items in wuye.call_each("wuye_archive_sections", session=session, unit=archive.unit,
                                        party=archive.party):
        for item in items or ():
            missing = [k for k in ("key", "title", "title_zh", "level") if k not in item]
            if missing or item["level"] not in LEVELS:
                raise ValidationError(f"plugin '{plugin}' returned an archive section without {missing or 'a level'} "
                                      "(level is 'normal' or 'confidential'); see docs/plugins/archive.md")
            out.append(Section(key=item["key"], title=item["title"], title_zh=item["title_zh"], level=item["level"],
                               columns=list(item.get("columns") or ()), rows=list(item.get("rows") or ()),
                               links=list(item.get("links") or ()), provides=list(item.get("provides") or ()),
                               plugin=plugin))
    return out


def all_sections(session, archive: OwnerArchive) -> list[Section]:
    return own_sections(session, archive) + contributed_sections(session, archive)


def find_section(session, archive: OwnerArchive, key: str) -> Section:
    for section in all_sections(session, archive):
        if section.key == key:
            return section
    raise ValidationError({"section": [f"no part '{key}' in this archive; give one of "
                                       f"{', '.join(s.key for s in all_sections(session, archive))}"]})


DOCUMENT_TYPES = frozenset(t.value for t in DocumentType)
