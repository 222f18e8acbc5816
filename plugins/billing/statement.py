"""The fee statement (费用明细表) of a unit for a date range, and its XLSX export.

Balance = charges − money received (positive: the unit owes; negative: credit in its prepaid
balance). Charges count on the day they were posted, reversals on theirs; payments on the day
received. Applications of the prepaid balance move no money, so they are not listed.
"""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import Text, ValidationError, fen_to_yuan
from core.models import Unit
from plugins.billing.models import ChargeLine, FeeItem, Payment


def _charges(session: Session, unit: Unit, cond):
    return (
        select(ChargeLine, FeeItem)
        .join(FeeItem, FeeItem.id == ChargeLine.fee_item_id)
        .where(ChargeLine.unit_id == unit.id, cond)
        .order_by(ChargeLine.posted_on, ChargeLine.id)
    )


def _money(unit: Unit):
    return (Payment.unit_id == unit.id, Payment.method != "prepaid")


def statement(session: Session, unit: Unit, date_from: dt.date, date_to: dt.date) -> dict:
    """Opening balance, the charges and payments of the range, closing balance (all in fen)."""
    if date_to < date_from:
        raise ValidationError(Text(f"{date_to} is before {date_from}", f"{date_to} 早于 {date_from}"), field="date_to")
    charged_before = session.scalar(
        select(func.coalesce(func.sum(ChargeLine.amount_fen), 0)).where(
            ChargeLine.unit_id == unit.id, ChargeLine.posted_on < date_from
        )
    )
    paid_before = session.scalar(
        select(func.coalesce(func.sum(Payment.amount_fen), 0)).where(
            *_money(unit), Payment.paid_on < date_from
        )
    )
    opening = int(charged_before) - int(paid_before)
    lines = [
        {
            "id": line.id,
            "date": line.posted_on,
            "period": line.period,
            "fee_item": item.code,
            "fee_item_name": item.name_zh or item.name,
            "description": line.description,
            "due_on": line.due_on,
            "amount_fen": line.amount_fen,
            "origin": line.origin,
            "payer": line.payer,  # bill-to: owner, occupant or developer (开发商, before delivery)
            "reversed": line.reversed_at is not None,
        }
        for line, item in session.execute(
            _charges(session, unit, ChargeLine.posted_on.between(date_from, date_to))
        )
    ]
    payments = [
        {
            "id": p.id,
            "date": p.paid_on,
            "receipt_no": p.receipt_no,
            "method": p.method,
            "amount_fen": p.amount_fen,
            "payer": p.payer,
            "reversal": p.reverses_id is not None,
        }
        for p in session.scalars(
            select(Payment)
            .where(*_money(unit), Payment.paid_on.between(date_from, date_to))
            .order_by(Payment.paid_on, Payment.id)
        )
    ]
    charged = sum(r["amount_fen"] for r in lines)
    paid = sum(r["amount_fen"] for r in payments)
    entries = sorted(
        [("charge", r["date"], r["id"], r["amount_fen"], r) for r in lines]
        + [("payment", r["date"], r["id"], -r["amount_fen"], r) for r in payments],
        key=lambda e: (e[1], e[0] != "charge", e[2]),
    )
    running, rows = opening, []
    for kind, day, _id, delta, r in entries:
        running += delta
        rows.append({"kind": kind, "date": day, "delta_fen": delta, "balance_fen": running, **{"record": r}})
    return {
        "unit_id": unit.id,
        "unit": unit.label,
        "date_from": date_from,
        "date_to": date_to,
        "opening_balance_fen": opening,
        "charged_fen": charged,
        "paid_fen": paid,
        "lines": lines,
        "payments": payments,
        "entries": rows,
        "closing_balance_fen": opening + charged - paid,
    }


def statement_xlsx(session: Session, unit: Unit, date_from: dt.date, date_to: dt.date) -> bytes:
    """The statement as an Excel workbook (amounts in yuan with two decimals)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = statement(session, unit, date_from, date_to)
    wb = Workbook()
    ws = wb.active
    ws.title = "费用明细"
    ws.append([f"费用明细表 Statement {data['unit']}", f"{date_from} – {date_to}"])
    ws["A1"].font = Font(bold=True)
    ws.append(["期初余额 Opening balance", fen_to_yuan(data["opening_balance_fen"])])
    ws.append([])
    ws.append(
        [
            "日期 Date",
            "类别 Kind",
            "项目/收据 Item/receipt",
            "账期 Period",
            "应收 Charge",
            "实收 Paid",
            "余额 Balance",
        ]
    )
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for e in data["entries"]:
        r = e["record"]
        if e["kind"] == "charge":
            ws.append(
                [
                    e["date"],
                    "应收",
                    r["fee_item_name"] + (" (冲销)" if r["origin"] == "reversal" else ""),
                    r["period"] or "",
                    fen_to_yuan(r["amount_fen"]),
                    None,
                    fen_to_yuan(e["balance_fen"]),
                ]
            )
        else:
            ws.append(
                [
                    e["date"],
                    "实收",
                    r["receipt_no"] or "",
                    "",
                    None,
                    fen_to_yuan(r["amount_fen"]),
                    fen_to_yuan(e["balance_fen"]),
                ]
            )
    ws.append([])
    ws.append(
        ["合计 Totals", "", "", "", fen_to_yuan(data["charged_fen"]), fen_to_yuan(data["paid_fen"]), None]
    )
    ws.append(["期末余额 Closing balance", fen_to_yuan(data["closing_balance_fen"])])
    for row in ws.iter_rows(min_row=5):
        for cell in row[4:7]:
            cell.number_format = "#,##0.00"
    for col, width in zip("ABCDEFG", (14, 8, 28, 10, 14, 14, 14), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
