"""Notification events of the archive plugin (companies rewrite the wording under 通知事件)."""

from __future__ import annotations

from core import NotificationEvent


def events() -> list[NotificationEvent]:
    """The events ``wuye_notification_events`` contributes."""
    return [
        NotificationEvent(
            "archive.access_requested", "Archive access requested", "档案查阅申请",
            templates={"zh_CN": ("档案查阅申请：{{ number }}",
                                 "{{ requester }} 申请查阅档案 {{ number }} 的“{{ section }}”，事由：{{ reason }}。请审批。"),
                       "en": ("Archive access requested: {{ number }}",
                              "{{ requester }} asks to see '{{ section }}' of archive {{ number }}: {{ reason }}. "
                              "Please decide.")},
            channels=("inapp",)),
        NotificationEvent(
            "archive.census_due", "Household census due", "住户普查提醒",
            templates={"zh_CN": ("住户普查提醒：{{ period }}",
                                 "{{ estate }} 的住户普查（{{ period }}）{{ what }}。"),
                       "en": ("Household census {{ period }}",
                              "Household census {{ period }} of {{ estate }}: {{ what_en }}.")},
            channels=("inapp",)),
    ]
