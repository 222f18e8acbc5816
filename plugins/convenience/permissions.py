"""The convenience permissions (便民服务权限) and the roles that hold them by default."""

from __future__ import annotations

from core import Permission

_STAFF = ("household_service_staff", "cs_specialist", "cs_supervisor", "cs_center_manager")
_LEADS = ("office_manager", "general_manager")

PERMISSIONS: tuple[Permission, ...] = (
    Permission("convenience.view", "View convenience services, orders and agreements", "查看便民服务",
               _STAFF + _LEADS + ("cashier",)),
    Permission("convenience.manage_catalogue", "Edit catalogue items and draft prices; publish price lists",
               "维护便民服务项目及价格表", ("office_manager", "cs_supervisor", "cs_center_manager")),
    Permission("convenience.propose_catalogue", "Propose a price list to the general manager",
               "报批便民服务项目及价格表", ("office_manager",)),
    Permission("convenience.approve_catalogue", "Approve convenience items and prices", "审批便民服务项目及收费标准",
               ("general_manager",)),
    Permission("convenience.order", "Register orders and agreements; take prepayments and deposits",
               "登记便民服务/委托服务单", ("cs_specialist", "cs_supervisor", "cs_center_manager", "office_manager",
                                  "cashier")),
    Permission("convenience.dispatch", "Dispatch orders to departments, staff or partners", "派工",
               ("cs_supervisor", "cs_center_manager", "office_manager")),
    Permission("convenience.deliver", "Record a service as delivered", "登记服务完成",
               ("household_service_staff", "cs_specialist", "cs_supervisor")),
    Permission("convenience.confirm", "Record the customer's confirmation", "登记住户签字确认",
               ("household_service_staff", "cs_specialist", "cs_supervisor")),
    Permission("convenience.return_visit", "Record return visits and close orders", "便民服务回访",
               ("cs_specialist", "cs_supervisor", "cs_center_manager")),
    Permission("convenience.statements", "Charge orders, build and post monthly statements, settle deposits",
               "便民服务计费及月结", ("cs_supervisor", "cashier", "office_manager", "general_manager")),
    Permission("convenience.reports", "Profitability reports and item costs", "便民服务效益分析",
               ("office_manager", "general_manager", "cs_supervisor", "cs_center_manager")),
)
