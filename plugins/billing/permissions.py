"""Billing permissions and their default roles (spec 3: cashier 收费员, finance 财务部, CS ...)."""

from __future__ import annotations

from core import Permission

_LEADS = ("general_manager", "office_manager")
_CS_LEADS = ("cs_center_manager", "cs_supervisor")

PERMISSIONS = (
    Permission(
        "billing.view",
        "View fees, bills, payments and arrears",
        "查看收费与欠费",
        _LEADS
        + _CS_LEADS
        + ("assistant_manager", "finance_dept", "cashier", "cs_specialist", "butler", "front_desk"),
    ),
    Permission(
        "billing.manage_fee_items",
        "Manage fee items and prices (公示)",
        "管理收费项目与标准",
        _LEADS + ("finance_dept",),
    ),
    Permission(
        "billing.run",
        "Run billing and apportion shared costs",
        "出账及公摊",
        ("office_manager", "finance_dept", "cs_supervisor", "cashier"),
    ),
    Permission(
        "billing.read_meters",
        "Record and double-check meter readings",
        "抄表及复核",
        ("cs_supervisor", "cs_specialist", "cashier", "engineer"),
    ),
    Permission(
        "billing.post_payment", "Take payments and issue receipts", "收款开收据", ("finance_dept", "cashier")
    ),
    Permission(
        "billing.reverse",
        "Reverse charges and payments (红冲)",
        "冲销应收及收款",
        ("finance_dept", "office_manager"),
    ),
    Permission(
        "billing.manage_deposits",
        "Hold and deduct deposits",
        "收取及扣除押金",
        ("finance_dept", "cashier", "cs_supervisor"),
    ),
    Permission(
        "billing.approve_refund",
        "Approve deposit refunds (second person)",
        "审批押金退还",
        _LEADS + ("finance_dept",),
    ),
    Permission(
        "billing.dunning",
        "Follow up arrears (催缴)",
        "欠费催缴跟进",
        _LEADS + _CS_LEADS + ("cs_specialist", "butler", "cashier"),
    ),
    Permission(
        "billing.reports",
        "Arrears ageing, collection rates, statements",
        "收费报表",
        _LEADS + _CS_LEADS + ("assistant_manager", "finance_dept", "cashier"),
    ),
)
