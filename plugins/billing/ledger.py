"""Charge lines (应收): posting, outstanding amounts, reversal, and the per-unit account lock.

Every operation that moves money for a unit first takes :func:`lock_account`, so concurrent
payments, reversals and deposit entries on one unit are serialised and nothing is lost.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import (
    Conflict,
    NotFound,
    Text,
    UTCDateTime,
    ValidationError,
    attributed,
    authorize,
    estate_today,
    fen_to_yuan,
    utcnow,
)
from core.models import Unit
from plugins.billing.fees import get_fee_item
from plugins.billing.models import Account, Allocation, ChargeLine
from plugins.billing.periods import parse_period


def dialect_insert(session: Session, model):
    """``INSERT`` with ``on_conflict_do_nothing`` for the session's backend (SQLite or PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


def check_fen(value, field: str = "amount_fen", *, positive: bool = True) -> int:
    """An amount in integer fen: int (never float or bool), > 0 (or >= 0 when ``positive`` is False)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            Text(f"{value!r} is not an amount in fen; give a whole number of fen, e.g. 12050 for 120.50 yuan",
                 f"{value!r} 不是有效金额"),
            field=field,
        )
    if value < 0 or (positive and value == 0):
        raise ValidationError(
            Text(f"{field} must be {'more than zero' if positive else 'zero or more'} (got {value})",
                 f"金额须{'大于零' if positive else '不小于零'}"), field=field
        )
    return value


@cache
def _statements() -> dict:
    """Statements built once (payments are frequent: building SQLAlchemy expressions is not free)."""
    unit_id = bindparam("p_unit")
    paid = (
        select(Allocation.charge_line_id.label("line_id"), func.sum(Allocation.amount_fen).label("paid"))
        .join(ChargeLine, ChargeLine.id == Allocation.charge_line_id)
        .where(ChargeLine.unit_id == unit_id)
        .group_by(Allocation.charge_line_id)
        .subquery()
    )
    open_ = ChargeLine.amount_fen - func.coalesce(paid.c.paid, 0)
    lines = (
        select(ChargeLine, open_.label("open"))
        .outerjoin(paid, paid.c.line_id == ChargeLine.id)
        .where(
            ChargeLine.unit_id == unit_id,
            ChargeLine.origin != "reversal",
            ChargeLine.reversed_at.is_(None),
            open_ > 0,
        )
        .order_by(ChargeLine.due_on, ChargeLine.period, ChargeLine.id)
    )
    return {
        # UPDATE ... RETURNING takes the row lock (PostgreSQL; SQLite holds the write lock) and reads
        # the row back under it, in one round trip
        "lock": (
            update(Account)
            .where(Account.unit_id == unit_id)
            .values(lock_version=Account.lock_version + 1)
            .returning(Account)
            .execution_options(synchronize_session=False, populate_existing=True)
        ),
        # the dialects' INSERT ... ON CONFLICT constructs are compiled on every use; this text is cached
        "create": text(
            "INSERT INTO billing_accounts (unit_id, estate_id, prepaid_fen, lock_version, updated_at) "
            "VALUES (:unit_id, :estate_id, 0, 0, :now) ON CONFLICT (unit_id) DO NOTHING"
        ).bindparams(bindparam("now", type_=UTCDateTime())),
        # the owner's open lines: what "pay oldest first" takes. A developer's line on an undelivered
        # unit (payer "developer") is paid only when ticked, never by the owner's money by default.
        "open_lines": lines.where(ChargeLine.payer != "developer"),
        "open_lines_of": lines.where(ChargeLine.id.in_(bindparam("ids", expanding=True))),
    }


def lock_account(session: Session, unit: Unit) -> Account:
    """Take the unit's billing-account row lock (creating the account on first use) and return it.

    ``UPDATE ... RETURNING`` takes the row lock on PostgreSQL (the write lock on SQLite) and returns
    the row as read under the lock. Held until the transaction ends.
    """
    stmts = _statements()
    account = session.scalars(stmts["lock"], {"p_unit": unit.id}).one_or_none()
    if account is None:
        session.execute(stmts["create"], {"unit_id": unit.id, "estate_id": unit.estate_id, "now": utcnow()})
        account = session.scalars(stmts["lock"], {"p_unit": unit.id}).one()
    return account


def paid_expr():
    """Correlated sum of allocations of a charge line (0 when none)."""
    return (
        select(func.coalesce(func.sum(Allocation.amount_fen), 0))
        .where(Allocation.charge_line_id == ChargeLine.id)
        .scalar_subquery()
    )


def live_lines():
    """Lines that can still be owed: not reversal rows and not reversed."""
    return (ChargeLine.origin != "reversal", ChargeLine.reversed_at.is_(None))


def open_lines(session: Session, unit_id: int, ids: list[int] | None = None) -> list[tuple[ChargeLine, int]]:
    """The unit's unpaid lines with their outstanding fen, oldest due first (then period, then id): without
    ``ids`` the owner's lines only (the developer's lines on an undelivered unit are paid by ticking them)."""
    stmts = _statements()
    if ids is None:
        rows = session.execute(stmts["open_lines"], {"p_unit": unit_id})
    else:
        rows = session.execute(stmts["open_lines_of"], {"p_unit": unit_id, "ids": list(ids)})
    return [(line, int(open_)) for line, open_ in rows]


def line_paid_fen(session: Session, line_id: int) -> int:
    return int(
        session.scalar(
            select(func.coalesce(func.sum(Allocation.amount_fen), 0)).where(
                Allocation.charge_line_id == line_id
            )
        )
    )


@attributed
def post_charge(
    session: Session,
    actor,
    *,
    unit: Unit,
    fee_item_code: str,
    amount_fen: int,
    source: str,
    period: str | None = None,
    description: str = "",
    due_on: dt.date | None = None,
    posted_on: dt.date | None = None,
) -> ChargeLine:
    """Post one charge line for ``unit`` (contract used by renovation, convenience ...).

    ``posted_on`` (default: today at the estate) is the day the line enters the books; arrears
    brought forward from before the company took over are posted on the takeover day.

    Idempotent per (source, fee item): the same pair again returns the existing line when the amount
    (and unit) are equal and raises Conflict otherwise. Flushes, never commits.
    """
    check_fen(amount_fen)
    if not isinstance(source, str) or not source.strip() or len(source) > 160:
        raise ValidationError(
            "give the originating record as '<plugin>:<kind>:<id>' (1-160 characters)", field="source"
        )
    if period is not None:
        parse_period(period)
    if not isinstance(unit, Unit):
        raise ValidationError("unit must be a core Unit", field="unit")
    item = get_fee_item(session, fee_item_code)
    if not item.active:
        raise ValidationError(
            Text(f"fee item {item.code} is not active; activate it in Billing > Fee items",
                 f"收费项目 {item.name_zh or item.code} 未启用，请在“收费管理 > 收费项目”中启用"), field="fee_item_code"
        )
    if item.estate_id is not None and item.estate_id != unit.estate_id:
        raise ValidationError(
            f"fee item {item.code} belongs to another estate; use a company-wide item or this estate's own",
            field="fee_item_code",
        )
    existing = _by_source(session, source, item.id)
    if existing is not None:
        return _same_or_conflict(existing, unit, amount_fen)
    today = posted_on or estate_today(session, unit.estate)
    line = ChargeLine(
        estate_id=unit.estate_id,
        unit_id=unit.id,
        fee_item_id=item.id,
        period=period,
        origin="posted",
        amount_fen=amount_fen,
        due_on=due_on or today,
        posted_on=today,
        payer=item.payer,
        description=description[:400],
        source=source,
        created_by_id=getattr(actor, "id", None),
    )
    try:
        with session.begin_nested():
            session.add(line)
    except IntegrityError:  # posted concurrently by another transaction
        existing = _by_source(session, source, item.id)
        if existing is None:
            raise
        return _same_or_conflict(existing, unit, amount_fen)
    return line


def _by_source(session: Session, source: str, item_id: int) -> ChargeLine | None:
    return session.scalar(
        select(ChargeLine).where(ChargeLine.source == source, ChargeLine.fee_item_id == item_id)
    )


def _same_or_conflict(line: ChargeLine, unit: Unit, amount_fen: int) -> ChargeLine:
    if line.amount_fen != amount_fen or line.unit_id != unit.id:
        raise Conflict(
            f"charge {line.source} was already posted as line #{line.id} for {line.amount_fen} fen "
            f"on unit #{line.unit_id}; reverse it before posting a different amount",
            field="amount_fen",
        )
    return line


def outstanding_fen(session: Session, *, source: str) -> int:
    """Sum still unpaid over every non-reversed line with this source (0 when paid or none)."""
    open_ = ChargeLine.amount_fen - paid_expr()
    total = session.scalar(
        select(func.coalesce(func.sum(open_), 0)).where(ChargeLine.source == source, *live_lines(), open_ > 0)
    )
    return int(total)


def charges_for(session: Session, *, source: str) -> list[ChargeLine]:
    """Every charge line posted with ``source`` (reversed ones included), oldest first."""
    return list(
        session.scalars(select(ChargeLine).where(ChargeLine.source == source).order_by(ChargeLine.id))
    )


def unit_balance_fen(session: Session, unit_id: int) -> int:
    """What the unit owes now over all its live lines (prepaid balance not deducted)."""
    return sum(open_ for _line, open_ in open_lines(session, unit_id))


@attributed
def reverse_charge(session: Session, actor, line: ChargeLine | int, *, reason: str) -> ChargeLine:
    """Cancel a charge line with a reversal line (红冲) of the opposite amount; needs ``billing.reverse``.

    A line with money allocated to it is refused: reverse the payment first. The original keeps
    its amount; it is only marked reversed. Billing's own screens, API and CLI call this one.
    """
    authorize(session, actor, "billing.reverse")
    return _reverse(session, actor, line, reason)


@attributed
def cancel_charge(session: Session, actor, line: ChargeLine | int, *, reason: str) -> ChargeLine:
    """The contract's reversal, for the plugin that posted the charge (its record was withdrawn or
    cancelled): ``reverse_charge`` without the ``billing.reverse`` check, as ``post_charge`` trusts the
    calling plugin's own permission checks. Same rules: refused while money is allocated to the line.
    """
    return _reverse(session, actor, line, reason)


def _reverse(session: Session, actor, line: ChargeLine | int, reason: str) -> ChargeLine:
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError(Text("say why the charge is reversed", "请填写冲销费用的原因"), field="reason")
    if isinstance(line, int):
        line = session.get(ChargeLine, line)
        if line is None:
            raise NotFound(Text("no such charge line", "没有这条应收明细"), field="line")
    if line.origin == "reversal":
        raise Conflict(Text(f"line #{line.id} is itself a reversal and cannot be reversed",
                            f"明细 #{line.id} 本身是冲销记录，不能再冲销"), field="line")
    lock_account(session, line.unit)
    session.refresh(line)
    if line.reversed_at is not None:
        raise Conflict(Text(f"line #{line.id} is already reversed", f"明细 #{line.id} 已冲销"), field="line")
    paid = line_paid_fen(session, line.id)
    if paid:
        raise Conflict(Text(f"line #{line.id} has {paid} fen paid; reverse that payment first",
                            f"明细 #{line.id} 已收款 ¥{fen_to_yuan(paid):,}，请先冲销该收款"), field="line")
    now = utcnow()
    rev = ChargeLine(
        estate_id=line.estate_id,
        unit_id=line.unit_id,
        fee_item_id=line.fee_item_id,
        period=line.period,
        origin="reversal",
        amount_fen=-line.amount_fen,
        due_on=line.due_on,
        posted_on=estate_today(session, line.unit.estate),
        payer=line.payer,
        description=f"冲销 #{line.id}: {reason.strip()}"[:400],
        source=f"billing:reversal:{line.id}",
        reverses_id=line.id,
        created_by_id=getattr(actor, "id", None),
    )
    line.reversed_at = now
    session.add(rev)
    session.flush()
    return rev
