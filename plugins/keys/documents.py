"""Key custody's printable document (hook ``wuye_documents``): the key custody agreement
(钥匙托管协议) the owner signs when leaving a key with the management office."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core import Document
from core.models import Party, Unit
from plugins.keys.models import CustodyAgreement, CustodyReason, KeyUse


def _label(enum_cls, value) -> tuple[str, str]:
    key = getattr(value, "value", value)
    return enum_cls.__labels__.get(key, (key, key))


def agreement_context(session: Session, agreement: CustodyAgreement, actor, **_params) -> dict:
    """The agreement: unit, owner, reason, permitted uses, authorised persons, term, terms of custody."""
    return {"agreement": agreement, "unit": session.get(Unit, agreement.unit_id),
            "owner": session.get(Party, agreement.owner_id), "reason": _label(CustodyReason, agreement.reason),
            "uses": [_label(KeyUse, u) for u in agreement.permitted_uses or ()],
            "persons": list(agreement.authorised_persons or ()),
            "signatures": [("Owner (Party A)", "业主（甲方）"), ("Management office (Party B)", "管理处（乙方）")]}


def documents() -> list[Document]:
    return [
        Document(name="keys.custody_agreement", label="Key custody agreement", label_zh="钥匙托管协议",
                 model=CustodyAgreement, template="keys/custody_agreement.html", context=agreement_context,
                 permission="keys.custody", number=lambda a: a.number, page_size="A4", order=10),
    ]
