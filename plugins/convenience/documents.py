"""Convenience services' printable document (hook ``wuye_documents``): the monthly statement
(有偿便民服务月结单) a customer signs, listing the month's services and agreement fees."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import Document, amount_in_words
from core.models import Party, Unit
from plugins.convenience.models import ConvenienceItem, ConvenienceStatement, ConvenienceStatementLine


def statement_context(session: Session, statement: ConvenienceStatement, actor, **_params) -> dict:
    """The statement: customer, unit, period, one row per service or agreement fee, total and 大写."""
    rows = session.execute(select(ConvenienceStatementLine, ConvenienceItem)
                           .join(ConvenienceItem, ConvenienceItem.id == ConvenienceStatementLine.item_id)
                           .where(ConvenienceStatementLine.statement_id == statement.id)
                           .order_by(ConvenienceStatementLine.id))
    lines = [{"item": (item.name, item.name_zh or item.name), "description": line.description,
              "kind": ("Agreement", "协议服务") if line.agreement_id else ("Service", "单次服务"),
              "amount_fen": line.amount_fen} for line, item in rows]
    return {"statement": statement, "unit": session.get(Unit, statement.unit_id),
            "customer": session.get(Party, statement.customer_id), "lines": lines,
            "capital": amount_in_words(statement.total_fen), "posted": statement.posted_at is not None,
            "signatures": [("Customer", "住户签字"), ("Prepared by", "制表人")]}


def documents() -> list[Document]:
    return [
        Document(name="convenience.monthly_statement", label="Monthly statement", label_zh="便民服务月结单",
                 model=ConvenienceStatement, template="convenience/monthly_statement.html",
                 context=statement_context, permission="convenience.statements", prefix="CM", page_size="A4",
                 order=10),
    ]
