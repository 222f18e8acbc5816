"""Keys (钥匙) on the unit's page, the party's page and in the search.

The unit panel shows the unit's key sets and where each is, the open loans (overdue ones in red)
and "lend a key" (钥匙借出). The search finds loans by number (``KL-2026-000003``), custody
agreements (``KC-``) and key sets by tag number.
"""

from __future__ import annotations

from sqlalchemy import func

from core import Panel, SearchHit, Text, get_workflow, has_permission, scoped_select, utcnow
from plugins.keys.models import CustodyAgreement, KeyLoan, KeySet, LoanStatus

VIEW = "keys.view"


def status_label(session, value) -> str:
    value = getattr(value, "value", value)
    for state in get_workflow(session, "keys.key_set").states:
        if state.name == value:
            return Text(state.label or state.name, state.label_zh or state.label or state.name)
    return value


def _open_loans(session, actor, key_set_ids: list[int]) -> list[KeyLoan]:
    if not key_set_ids:
        return []
    return list(session.scalars(scoped_select(session, actor, KeyLoan)
                                .where(KeyLoan.key_set_id.in_(key_set_ids), KeyLoan.status == LoanStatus.out)
                                .order_by(KeyLoan.issued_at)))


def _overdue(loan: KeyLoan, now) -> bool:
    due = loan.expected_return_at
    if due is None:
        return loan.flagged_overdue_at is not None
    if due.tzinfo is None:
        due = due.replace(tzinfo=now.tzinfo)
    return due < now or loan.flagged_overdue_at is not None


def unit_panels(session, actor, unit) -> list[Panel]:
    if not has_permission(session, actor, VIEW):
        return []
    sets = list(session.scalars(scoped_select(session, actor, KeySet).where(KeySet.unit_id == unit.id)
                                .order_by(KeySet.tag_no).limit(20)))
    now = utcnow()
    loans = _open_loans(session, actor, [s.id for s in sets])
    overdue = [loan for loan in loans if _overdue(loan, now)]
    rows = [[Panel.link(s.tag_no, "keys_key_sets", s.id), s.key_type, s.copies, status_label(session, s.status),
             s.cabinet_slot] for s in sets]
    for loan in loans:
        late = _overdue(loan, now)
        due = loan.expected_return_at.date() if loan.expected_return_at else ""
        rows.append([Panel.link(loan.number, "keys_loans", loan.id, level="danger" if late else ""),
                     loan.borrower_name, loan.copies,
                     Panel.flag(Text("Overdue", "逾期未还"), "danger") if late else Panel.flag(Text("Lent", "借出"), "warning"),
                     due])
    facts = [(Text("Key sets", "钥匙套数"), len(sets)), (Text("Out on loan", "借出未还"), len(loans))]
    if overdue:
        facts.append((Text("Overdue", "逾期未还"), Panel.flag(str(len(overdue)), "danger")))
    actions = []
    if has_permission(session, actor, "keys.lend") and sets:
        actions.append(Panel.action(Text("Lend a key", "借出钥匙"), "keys_loans", key_set_id=sets[0].id))
    return [Panel(title="Keys", title_zh="钥匙", key="keys", facts=facts,
                  columns=[Text("Tag / loan", "钥匙牌号/借用单"), Text("Key / borrower", "钥匙类型/借用人"),
                           Text("Copies", "把数"), Text("Where", "状态"), Text("Slot / due", "格位/应还")],
                  rows=rows, actions=actions, empty=Text("No keys registered.", "暂无钥匙登记。"), order=30)]


def party_panels(session, actor, party) -> list[Panel]:
    """The loans the party borrowed and has not returned."""
    if not has_permission(session, actor, VIEW):
        return []
    loans = list(session.scalars(scoped_select(session, actor, KeyLoan)
                                 .where(KeyLoan.borrower_party_id == party.id, KeyLoan.status == LoanStatus.out)
                                 .order_by(KeyLoan.issued_at).limit(10)))
    if not loans:
        return []
    now = utcnow()
    rows = [[Panel.link(loan.number, "keys_loans", loan.id), loan.issued_at.date(),
             Panel.flag(Text("Overdue", "逾期未还")) if _overdue(loan, now) else Panel.flag(Text("Lent", "借出"), "warning")]
            for loan in loans]
    return [Panel(title="Keys borrowed", title_zh="借用钥匙", key="keys",
                  columns=[Text("Loan", "借用单"), Text("Lent on", "借出日期"), Text("Status", "状态")], rows=rows,
                  order=30)]


def search(session, actor, query) -> list[SearchHit]:
    """Loans (KL-) and custody agreements (KC-) by number prefix."""
    q = query.strip().upper()
    if not has_permission(session, actor, VIEW) or not q.startswith("K"):
        return []
    like = q.replace("%", "").replace("_", "") + "%"
    hits = []
    if q.startswith("KL"):
        for loan in session.scalars(scoped_select(session, actor, KeyLoan).where(func.upper(KeyLoan.number).like(like))
                                    .order_by(KeyLoan.number).limit(10)):
            label = loan.key_set.unit.label if loan.key_set is not None and loan.key_set.unit is not None else ""
            hits.append(SearchHit(kind=Text("Key loan", "钥匙借用"), title=loan.number,
                                  subtitle=" · ".join(p for p in (label, loan.borrower_name) if p),
                                  view="keys_loans", record_id=loan.id, rank=0 if loan.number == q else 5))
    if q.startswith("KC"):
        for agr in session.scalars(scoped_select(session, actor, CustodyAgreement)
                                   .where(func.upper(CustodyAgreement.number).like(like))
                                   .order_by(CustodyAgreement.number).limit(10)):
            hits.append(SearchHit(kind=Text("Custody agreement", "钥匙托管协议"), title=agr.number,
                                  view="keys_custody_agreements", record_id=agr.id, rank=0 if agr.number == q else 5))
    return hits
