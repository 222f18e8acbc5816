"""Prepaid balances earmarked per fee category (预收款专款专用).

An account's prepaid balance (``Account.prepaid_fen``, the total) is split into parts per fee
category (:class:`~plugins.billing.models.PrepaidBalance`): money prepaid *for property fees* pays only
property-fee lines. The part with category ``""`` is the **general** balance: payment surpluses, and
every balance that existed before earmarking (migration billing_0005); it pays any line, as before.

Moves go through :func:`move_prepaid` under the account's lock, so the parts always sum to the total.
A payment's surplus lands in the category of the surrounding :func:`earmark` block (general outside
one); :func:`prepay` takes money for one category. :func:`apply_prepaid` spends each earmarked part on
its category's open lines first, then the general part on whatever is still open, oldest first
(never the developer's lines of a unit not yet delivered: the balance is the owner's money).
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import Text, ValidationError
from core.models import Unit
from plugins.billing.ledger import open_lines
from plugins.billing.models import CATEGORIES, Account, FeeItem, Payment, PrepaidBalance

GENERAL = ""
_KEY = "billing.prepaid_category"


def check_category(category) -> str:
    if category != GENERAL and category not in CATEGORIES:
        raise ValidationError(
            Text(f"{category!r} is not a fee category; use one of {', '.join(CATEGORIES)} (or none: general)",
                 f"{category!r} 不是收费类别；可选：{'、'.join(CATEGORIES.values())}（不填为通用预存）"),
            field="category",
        )
    return category


@contextmanager
def earmark(session: Session, category: str):
    """Within the block, prepaid money moved without a category goes to / comes from ``category``."""
    check_category(category)
    before = session.info.get(_KEY)
    session.info[_KEY] = category
    try:
        yield
    finally:
        if before is None:
            session.info.pop(_KEY, None)
        else:
            session.info[_KEY] = before


def _bucket(session: Session, account_id: int, category: str) -> PrepaidBalance:
    row = session.scalar(
        select(PrepaidBalance).where(PrepaidBalance.account_id == account_id, PrepaidBalance.category == category)
    )
    if row is None:
        row = PrepaidBalance(account_id=account_id, category=category, balance_fen=0)
        session.add(row)
    return row


def move_parts(session: Session, account: Account, delta: int, category: str | None = None) -> None:
    """Move ``delta`` in the earmarked parts (the caller moves the total, under the account's lock).

    ``category`` None: the surrounding :func:`earmark`'s, else general. Money taken out beyond what the
    part holds (a reversal after a re-earmarking, say) comes from the general part, then from the
    other parts, so the parts never go negative and always sum to the total.
    """
    category = session.info.get(_KEY, GENERAL) if category is None else category
    if delta >= 0:
        _bucket(session, account.id, category).balance_fen += delta
        session.flush()
        return
    need = -delta
    rows = session.scalars(select(PrepaidBalance).where(PrepaidBalance.account_id == account.id)).all()
    rank = {category: 0, GENERAL: 1}
    for row in sorted(rows, key=lambda r: (rank.get(r.category, 2), r.category)):
        take = min(need, row.balance_fen)
        row.balance_fen -= take
        need -= take
        if not need:
            break
    session.flush()


def balances(session: Session, unit: Unit) -> dict[str, int]:
    """``{category: fen}`` of the unit's prepaid parts with money ("" = general)."""
    rows = session.execute(
        select(PrepaidBalance.category, PrepaidBalance.balance_fen)
        .join(Account, Account.id == PrepaidBalance.account_id)
        .where(Account.unit_id == unit.id, PrepaidBalance.balance_fen != 0)
    )
    return {c: int(b) for c, b in rows}


def balance_fen(session: Session, unit: Unit, category: str | None = None) -> int:
    """The unit's prepaid balance: the total, or one category's part (``""``: the general part)."""
    if category is None:
        return int(session.scalar(select(Account.prepaid_fen).where(Account.unit_id == unit.id)) or 0)
    return balances(session, unit).get(check_category(category), 0)


def prepay(session: Session, actor, *, unit: Unit, amount_fen: int, category: str, method: str,
           payer: str = "", reference: str = "", paid_on: dt.date | None = None, note: str = "") -> Payment:
    """Take money in advance for one fee category (预交物业费 ...): a payment allocated to nothing, its
    whole amount earmarked for ``category``; a receipt is issued as for any payment."""
    from plugins.billing.payments import record_payment

    check_category(category)
    with earmark(session, category):
        return record_payment(session, actor, unit=unit, amount_fen=amount_fen, method=method, lines=[],
                              payer=payer, reference=reference, paid_on=paid_on, note=note or "预存款")


def _open_ids(session: Session, unit: Unit, category: str) -> tuple[list[int], int]:
    # the unit's prepaid money is its owner's: it never pays the developer's lines (bill-to 开发商)
    rows = [(line, fen) for line, fen in open_lines(session, unit.id) if line.payer != "developer"]
    if category != GENERAL:
        cats = dict(session.execute(select(FeeItem.id, FeeItem.category)).all())
        rows = [(line, fen) for line, fen in rows if cats.get(line.fee_item_id) == category]
    return [line.id for line, _fen in rows], sum(fen for _line, fen in rows)


def apply_prepaid_all(session: Session, unit: Unit, actor=None, *, paid_on: dt.date | None = None) -> list[Payment]:
    """Spend each earmarked part on its category's open lines, then the general part on any; one
    ``prepaid`` payment per part used."""
    from plugins.billing.payments import record_payment

    done = []
    parts = balances(session, unit)
    for category in sorted(parts, key=lambda c: (c == GENERAL, c)):  # earmarked first, general last
        have = parts[category]
        if have <= 0:
            continue
        ids, owed = _open_ids(session, unit, category)
        if not ids:
            continue
        with earmark(session, category):
            done.append(record_payment(session, actor, unit=unit, amount_fen=min(have, owed), method="prepaid",
                                       lines=ids, paid_on=paid_on,
                                       note=f"预存款自动抵扣（{CATEGORIES.get(category, '通用')}）"))
    return done
