"""Notification events of the complaint register (companies rewrite the wording under 通知事件)."""

from __future__ import annotations

from core import NotificationEvent


def events() -> list[NotificationEvent]:
    return [
        NotificationEvent(
            "complaints.escalated", "Major complaint reported", "重大投诉上报",
            templates={"zh_CN": ("{{ severity }}：{{ number }}", "{{ estate }} {{ number }}（{{ category }}）：{{ summary }}，请即处理。"),
                       "en": ("Complaint {{ number }} reported", "{{ estate }} {{ number }}: {{ summary }}; please see to it now.")},
            channels=("inapp", "sms")),
        NotificationEvent(
            "complaints.replied", "Reply to your complaint", "投诉处理答复",
            templates={"zh_CN": ("投诉处理答复", "您的投诉（{{ number }}）处理结果：{{ reply }}"),
                       "en": ("Reply to your complaint", "Your complaint {{ number }}: {{ reply }}")},
            channels=("inapp", "sms")),
    ]
