"""Keys on the workplace: loans overdue for return (to-dos), the key clerk's cards, the keys chart.

"Overdue" is the lending service's own: a loan still out whose expected return has passed
(``KeyLoan.is_overdue``; the job ``keys.overdue_returns`` flags the same loans).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from core import Card, Chart, InboxItem, Text, get_workflow, has_permission, utcnow, visible_estate_ids
from core.models import Estate
from plugins.keys.models import KeyLoan, KeySet, LoanStatus

LIMIT = 20


def _estates(session: Session, actor) -> list[Estate]:
    ids = visible_estate_ids(session, actor)
    stmt = select(Estate).order_by(Estate.code)
    return list(session.scalars(stmt if ids is None else stmt.where(Estate.id.in_(list(ids)))))


def _overdue(session: Session, actor, now: dt.datetime):
    """Loans out past their expected return, in the actor's estates (the index on status, expected)."""
    ids = visible_estate_ids(session, actor)
    stmt = select(KeyLoan).where(KeyLoan.status == LoanStatus.out, KeyLoan.expected_return_at.is_not(None),
                                 KeyLoan.expected_return_at < now)
    return stmt if ids is None else stmt.where(KeyLoan.estate_id.in_(list(ids)))


def loans_out(session: Session, estate: Estate, now: dt.datetime) -> tuple[int, int]:
    """``(out, overdue)`` loans of the estate at ``now``."""
    out = session.scalar(select(func.count(KeyLoan.id)).where(
        KeyLoan.estate_id == estate.id, KeyLoan.status == LoanStatus.out)) or 0
    late = session.scalar(select(func.count(KeyLoan.id)).where(
        KeyLoan.estate_id == estate.id, KeyLoan.status == LoanStatus.out, KeyLoan.expected_return_at.is_not(None),
        KeyLoan.expected_return_at < now)) or 0
    return int(out), int(late)


def charts(session: Session, actor, today: dt.date) -> list[Chart]:
    """Key sets by state, and loans out and overdue, per estate (holders of ``keys.view``)."""
    if not has_permission(session, actor, "keys.view"):
        return []
    wf = get_workflow(session, "keys.key_set")
    now = utcnow()
    out = []
    for estate in _estates(session, actor):
        counts = dict(session.execute(select(KeySet.status, func.count(KeySet.id))
                                      .where(KeySet.estate_id == estate.id).group_by(KeySet.status)).all())
        counts = {str(getattr(k, "value", k)): int(v) for k, v in counts.items()}
        lent, late = loans_out(session, estate, now)
        out.append(Chart(id="keys-out-and-overdue", title=Text("Keys out and overdue", "钥匙借出与逾期"),
                         estate_id=estate.id, kind="bar", order=30, category_title=Text("", ""),
                         categories=(Text("Loans out", "借出未还"), Text("Overdue", "逾期未还")),
                         series=((Text("Loans", "借用单"), (lent, late)),)))
        out.append(Chart(id="keys-by-state", title=Text("Key sets by state", "钥匙状态分布"), estate_id=estate.id,
                         kind="pie", order=31, category_title=Text("State", "状态"),
                         categories=tuple(Text(s.label, s.label_zh or s.label) for s in wf.states),
                         series=((Text("Key sets", "钥匙套数"), tuple(counts.get(s.name, 0) for s in wf.states)),)))
    return out


def inbox_items(session: Session, actor, today: dt.date) -> list[InboxItem]:
    """Loans overdue for return, oldest due first, for holders of ``keys.return``."""
    if not has_permission(session, actor, "keys.return"):
        return []
    group = Text("Keys overdue for return", "钥匙逾期未还")
    loans = session.scalars(_overdue(session, actor, utcnow()).order_by(KeyLoan.expected_return_at).limit(LIMIT))
    return [InboxItem(kind="keys.overdue", group=group, title=Text("Chase the key's return", "催还钥匙"),
                      label=f"{loan.number} {loan.borrower_name}", due_at=loan.expected_return_at, overdue=True,
                      estate_id=loan.estate_id, url=f"/admin/keys_loans/details/?id={loan.id}")
            for loan in loans]


def home_cards(actor) -> list[Card]:
    """Keys overdue for return, for the key clerk."""
    session = object_session(actor) if actor is not None else None
    if session is None or not has_permission(session, actor, "keys.return"):
        return []
    stmt = _overdue(session, actor, utcnow()).with_only_columns(KeyLoan.id).limit(100)
    n = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    return [Card("Keys overdue", "逾期未还钥匙", "99+" if n > 99 else n, "/admin/inbox/?kind=keys.overdue",
                 order=40, level="danger" if n else "success")]
