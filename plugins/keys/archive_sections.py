"""Keys' part of an owner archive (hook ``wuye_archive_sections`` of the archive plugin): the unit's
key sets and the key issue / lending register (钥匙领(借)用登记表, KF09 §4.1 e)). ID numbers of
borrowers stay out: they are on the loan, masked for those without the right."""

from __future__ import annotations

from sqlalchemy import select

from plugins.keys.models import KeyLoan, KeySet, LoanKind


def _label(value) -> str:
    labels = getattr(type(value), "__labels__", {})
    return labels.get(getattr(value, "value", value), (str(value), str(value)))[1]


def archive_sections(session, unit, party) -> list[dict]:
    """The key sets of ``unit`` with where they are, and every issue or loan of them."""
    sets = list(session.scalars(select(KeySet).where(KeySet.unit_id == unit.id).order_by(KeySet.tag_no)))
    if not sets:
        return []
    loans = list(session.scalars(select(KeyLoan).where(KeyLoan.key_set_id.in_([s.id for s in sets]))
                                 .order_by(KeyLoan.issued_at, KeyLoan.id)))
    rows = [[s.tag_no, s.key_type, s.copies, _label(s.status), "", ""] for s in sets]
    rows += [[loan.number, _label(loan.kind), loan.copies, _label(loan.status), loan.borrower_name,
              loan.issued_at.date()] for loan in loans]
    links = ([{"text": s.tag_no, "view": "keys_key_sets", "record_id": s.id} for s in sets]
             + [{"text": loan.number, "view": "keys_loans", "record_id": loan.id} for loan in loans])
    issued = any(loan.kind == LoanKind.issue for loan in loans)
    return [{"key": "keys", "title": "Keys", "title_zh": "钥匙领(借)用记录", "level": "normal",
             "columns": [("Tag / register no.", "钥匙牌号/登记号"), ("Key / kind", "钥匙类型/方式"), ("Copies", "把数"),
                         ("Status", "状态"), ("Person", "领(借)用人"), ("Date", "日期")],
             "rows": rows, "links": links, "provides": ["key_register"] if issued else []}]
