"""The complaint handling notice (业主投诉处理通知单, spec 2.10): printed for the department
responsible, with the same number as the register entry and the original complaint document."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core import Document
from plugins.complaints.labels import CATEGORIES, CHANNELS, DEPARTMENTS, SEVERITIES
from plugins.complaints.models import Complaint


def notice_context(session: Session, complaint: Complaint, actor, **_params) -> dict:
    """The complaint, its unit and its classification labels (English, 中文)."""
    return {"complaint": complaint, "unit": complaint.unit,
            "category": CATEGORIES.get(complaint.category, (complaint.category, complaint.category)),
            "channel": CHANNELS.get(complaint.channel, (complaint.channel, complaint.channel)),
            "department": DEPARTMENTS.get(complaint.department, (complaint.department, complaint.department)),
            "severity": SEVERITIES.get(complaint.severity, (complaint.severity, complaint.severity)),
            "signatures": [("Customer service", "客服中心"), ("Department responsible", "责任部门")]}


def documents() -> list[Document]:
    return [
        Document(name="complaints.handling_notice", label="Complaint handling notice", label_zh="业主投诉处理通知单",
                 model=Complaint, template="complaints/handling_notice.html", context=notice_context,
                 permission="complaints.view", number=lambda c: c.number, page_size="A4", order=10),
    ]
