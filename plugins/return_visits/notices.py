"""Notification events of return visits (companies rewrite the wording under 通知事件)."""

from __future__ import annotations

from core import NotificationEvent


def events() -> list[NotificationEvent]:
    """The events ``wuye_notification_events`` contributes."""
    return [
        NotificationEvent(
            "return_visits.unsatisfied", "Owner unsatisfied on a return visit", "回访不满意",
            templates={"zh_CN": ("回访不满意：{{ number }}",
                                 "回访 {{ number }}（{{ summary }}）业主评价“{{ satisfaction }}”：{{ comments }}，请跟进。"),
                       "en": ("Unsatisfied return visit {{ number }}",
                              "Visit {{ number }} ({{ summary }}): the owner is unsatisfied: {{ comments }}. "
                              "Please follow up.")},
            channels=("inapp",)),
    ]
