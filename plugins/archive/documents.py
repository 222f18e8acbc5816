"""Printable documents of the archive plugin (hook ``wuye_documents``):

* ``archive.cover_sheet`` (档案封面及目录): the label and index of the archive box (number, unit,
  owner, documents with pages; KF09 §4.2: the label goes on the left side of the box, 5 cm from
  the top). Shows no ID numbers; printing it is logged as opening the ``index`` part.
* ``archive.contents`` (业主档案查阅): the archive opened on screen: every normal part and the
  confidential parts the reader holds an approval for; ``section=identity`` opens one part and, when
  it is refused, shows why. Every part shown or refused is logged (``access.py``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core import Document, utcnow
from plugins.archive import access
from plugins.archive.models import DocumentType, OwnerArchive


def _type_label(value) -> tuple[str, str]:
    return DocumentType.__labels__.get(value.value, (value.value, value.value))


def cover_context(session: Session, archive: OwnerArchive, actor, **_params) -> dict:
    result = access.open_section(session, actor, archive, "index", reason="cover sheet printed")
    docs = [(_type_label(d.doc_type), d.title, d.dated_on, d.pages) for d in archive.documents]
    return {"archive": archive, "unit": archive.unit, "owner": archive.party, "documents": docs,
            "pages": sum(d.pages for d in archive.documents), "granted": result.granted, "refusal": result.message,
            "signatures": [("Archivist", "档案管理员")], "show_stamp": False}


def contents_context(session: Session, archive: OwnerArchive, actor, section: str = "", **_params) -> dict:
    now = utcnow()
    if section:
        results = [access.open_section(session, actor, archive, section, now=now)]
    else:
        results = access.open_archive(session, actor, archive, now=now)
    return {"archive": archive, "unit": archive.unit, "results": results, "show_stamp": False,
            "signatures": []}


def documents() -> list[Document]:
    return [
        Document(name="archive.cover_sheet", label="Archive cover sheet and index", label_zh="档案封面及目录",
                 model=OwnerArchive, template="archive/cover_sheet.html", context=cover_context,
                 permission="archive.view", numbered=False, order=10),
        Document(name="archive.contents", label="Open the owner archive", label_zh="查阅业主档案",
                 model=OwnerArchive, template="archive/contents.html", context=contents_context,
                 permission="archive.view", numbered=False, order=20,
                 params={"section": ("Part (e.g. identity)", "档案部分(如 identity)")}),
    ]
