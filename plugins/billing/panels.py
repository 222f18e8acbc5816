"""Billing on the unit's page (房屋档案), the party's page (业主档案) and in the search.

The unit panel: what the unit owes (欠费), its prepaid balance (预存), the open charges oldest first
and the last payments, with the action "take a payment" (收款). The party panel: the balance of
each unit the party holds. The search finds receipts by number (``RC-2026-000123``).
"""

from __future__ import annotations

from sqlalchemy import func, select

from core import Panel, SearchHit, Text, has_permission, scoped_select
from core.models import RelationKind, Unit, UnitRelation
from plugins.billing.ledger import open_lines
from plugins.billing.models import Account, Payment

VIEW = "billing.view"
OPEN_SHOWN = 8
PAYMENTS_SHOWN = 5
METHODS = {"cash": Text("Cash", "现金"), "card": Text("Card", "刷卡"), "transfer": Text("Bank transfer", "转账"),
           "wechat": Text("WeChat Pay", "微信"), "alipay": Text("Alipay", "支付宝"),
           "prepaid": Text("From prepaid", "预存抵扣")}


def _fee_name(item) -> str:
    return str(Text(item.name, item.name_zh or item.name)) if item is not None else ""


def _prepaid(session, unit_id: int) -> int:
    return int(session.scalar(select(Account.prepaid_fen).where(Account.unit_id == unit_id)) or 0)


def unit_panels(session, actor, unit) -> list[Panel]:
    if not has_permission(session, actor, VIEW):
        return []
    lines = open_lines(session, unit.id)
    owed = sum(open_ for _line, open_ in lines)
    rows = [[Panel.link(line.period or line.posted_on.isoformat(), "billing_charge_lines", line.id),
             _fee_name(line.fee_item), line.due_on, Panel.money(open_)] for line, open_ in lines[:OPEN_SHOWN]]
    payments = session.scalars(scoped_select(session, actor, Payment).where(Payment.unit_id == unit.id)
                               .order_by(Payment.paid_on.desc(), Payment.id.desc()).limit(PAYMENTS_SHOWN))
    paid_rows = [[Panel.link(p.receipt_no or f"#{p.id}", "billing_payments", p.id), p.paid_on,
                  METHODS.get(p.method, p.method), Panel.money(p.amount_fen)] for p in payments]
    arrears = Panel.flag(Panel.money(owed), "danger") if owed > 0 else Panel.money(0)
    facts = [(Text("Arrears", "欠费"), arrears), (Text("Prepaid", "预存余额"), Panel.money(_prepaid(session, unit.id))),
             (Text("Open charges", "未缴费用笔数"), len(lines))]
    actions = []
    if has_permission(session, actor, "billing.post_payment"):
        actions.append(Panel.action(Text("Take a payment", "收款"), "billing_cashier", unit_id=unit.id))
    charges = Panel(title="Fees owed", title_zh="欠费明细", key="billing", facts=facts,
                    columns=[Text("Period", "账期"), Text("Fee item", "收费项目"), Text("Due", "应缴日期"),
                             Text("Open", "未缴金额")],
                    rows=rows, actions=actions, empty=Text("Nothing owed.", "无欠费。"), order=10)
    last = Panel(title="Last payments", title_zh="最近收款", key="billing-payments",
                 columns=[Text("Receipt", "收据号"), Text("Paid on", "收款日期"), Text("Method", "收款方式"),
                          Text("Amount", "金额")],
                 rows=paid_rows, empty=Text("No payments yet.", "暂无收款记录。"), order=11)
    return [charges, last]


def party_panels(session, actor, party) -> list[Panel]:
    """The balance of each unit the party owns or rents (units in the actor's estates only)."""
    if not has_permission(session, actor, VIEW):
        return []
    rels = session.scalars(scoped_select(session, actor, UnitRelation)
                           .where(UnitRelation.party_id == party.id, UnitRelation.end_on.is_(None),
                                  UnitRelation.kind.in_([RelationKind.owner, RelationKind.tenant]))
                           .order_by(UnitRelation.unit_id).limit(50))
    seen: set[int] = set()
    rows, total = [], 0
    for rel in rels:
        unit: Unit = rel.unit
        if unit.id in seen:
            continue
        seen.add(unit.id)
        owed = sum(open_ for _line, open_ in open_lines(session, unit.id))
        total += owed
        rows.append([Panel.page(unit.label, "unit", unit.id), Panel.flag(Panel.money(owed)) if owed else Panel.money(0),
                     Panel.money(_prepaid(session, unit.id))])
    return [Panel(title="Balance by unit", title_zh="各房屋欠费", key="billing",
                  facts=[(Text("Arrears, all units", "欠费合计"), Panel.money(total))],
                  columns=[Text("Unit", "房屋"), Text("Arrears", "欠费"), Text("Prepaid", "预存余额")],
                  rows=rows, empty=Text("No units.", "无房屋。"), order=10)]


def search(session, actor, query) -> list[SearchHit]:
    """Payments by receipt number prefix (``RC-2026-0001``)."""
    q = query.strip().upper()
    if not q.startswith("RC") or not has_permission(session, actor, VIEW):
        return []
    stmt = (scoped_select(session, actor, Payment).where(func.upper(Payment.receipt_no).like(q.replace("%", "") + "%"))
            .order_by(Payment.receipt_no).limit(10))
    return [SearchHit(kind=Text("Payment", "收款"), title=p.receipt_no,
                      subtitle=f"{p.unit.label} · {p.paid_on.isoformat()} · {Panel.money(p.amount_fen)}",
                      view="billing_payments", record_id=p.id, rank=0 if p.receipt_no.upper() == q else 5)
            for p in session.scalars(stmt)]
