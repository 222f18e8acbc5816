"""Notification events of the help_requests plugin (``wuye_notification_events``)."""

from __future__ import annotations

from core import NotificationEvent

EMERGENCY = NotificationEvent(
    "help_requests.emergency", "Emergency call", "紧急呼叫",
    templates={"zh_CN": ("紧急呼叫 {{ number }}：{{ category }}",
                         "{{ category }}：{{ location }}。求助人 {{ caller }} {{ phone }}。{{ description }} 请立即处置。"),
               "en": ("Emergency {{ number }}: {{ category_en }}",
                      "{{ category_en }} at {{ location }}. Caller {{ caller }} {{ phone }}. {{ description }} "
                      "Act at once.")},
    channels=("inapp", "sms"))

WRITTEN_INQUIRY = NotificationEvent(
    "help_requests.written_inquiry", "Written inquiry to answer", "书面咨询待答复",
    templates={"zh_CN": ("书面咨询 {{ number }} 待答复", "请于 {{ due }} 前书面答复：{{ description }}"),
               "en": ("Written inquiry {{ number }} to answer", "Reply in writing by {{ due }}: {{ description }}")},
    channels=("inapp",))


def events() -> list[NotificationEvent]:
    return [EMERGENCY, WRITTEN_INQUIRY]
