"""Permissions of the keys plugin with their default roles (spec 3; grants are data afterwards)."""

from __future__ import annotations

from core import Permission

_LEADS = ("general_manager", "office_manager")
_KEY_STAFF = ("cs_supervisor", "key_custodian")

PERMISSIONS: tuple[Permission, ...] = (
    Permission("keys.view", "View the key register, loans and custody agreements", "查看钥匙登记与借用记录",
               _LEADS + _KEY_STAFF + ("assistant_manager", "duty_manager", "cs_center_manager", "cs_specialist",
                                      "butler", "front_desk", "security_manager", "quality_dept")),
    Permission("keys.manage", "Register keys, receive the developer's keys, issue keys to owners",
               "钥匙登记、接收开发商钥匙、交付业主", _LEADS + _KEY_STAFF + ("cs_specialist",)),
    Permission("keys.lend", "Lend keys (register the borrower)", "钥匙借出登记",
               _LEADS + _KEY_STAFF + ("cs_specialist", "duty_manager")),
    Permission("keys.approve_loan", "Approve lending a key", "批准钥匙借用",
               _LEADS + _KEY_STAFF + ("cs_center_manager",)),
    Permission("keys.return", "Take lent keys back", "钥匙归还登记",
               _LEADS + _KEY_STAFF + ("cs_specialist", "duty_manager", "security_manager")),
    Permission("keys.custody", "Record and end key custody agreements (钥匙托管书)", "钥匙托管与解除",
               _LEADS + _KEY_STAFF + ("cs_specialist",)),
    Permission("keys.inventory", "Run the monthly key inventory", "钥匙盘点",
               _LEADS + _KEY_STAFF + ("quality_dept",)),
    Permission("keys.report_lost", "Report a key lost (opens a lock change)", "钥匙挂失",
               _LEADS + _KEY_STAFF + ("cs_specialist", "duty_manager", "security_manager", "front_desk")),
)
