"""Renovation's parts of an owner archive (hook ``wuye_archive_sections`` of the archive plugin):
the owner's renovation applications (装修申请审批表) and the violation notices (违章处理通知单)
issued on them, KF09 §4.1 g) and h). Records stay in renovation; the archive shows and links them."""

from __future__ import annotations

from sqlalchemy import or_, select

from plugins.renovation.models import RenovationApplication, RenovationViolation


def archive_sections(session, unit, party) -> list[dict]:
    """The applications of ``unit`` made or consented to by ``party`` and their violations."""
    apps = list(session.scalars(select(RenovationApplication).where(
        RenovationApplication.unit_id == unit.id,
        or_(RenovationApplication.applicant_id == party.id, RenovationApplication.consenting_owner_id == party.id))
        .order_by(RenovationApplication.applied_on, RenovationApplication.id)))
    if not apps:
        return []
    violations = list(session.scalars(select(RenovationViolation).where(
        RenovationViolation.application_id.in_([a.id for a in apps])).order_by(RenovationViolation.id)))
    sections = [{
        "key": "renovation", "title": "Renovation applications", "title_zh": "装修申请审批", "level": "normal",
        "columns": [("Application", "申请单号"), ("Applied on", "申请日期"), ("Status", "状态"),
                    ("Contractor", "装修企业"), ("Permit", "施工许可证")],
        "rows": [[a.number, a.applied_on, a.status, "自行装修" if a.self_renovation else a.contractor_name,
                  a.permit_no or ""] for a in apps],
        "links": [{"text": a.number, "view": "renovation_applications", "record_id": a.id} for a in apps],
        "provides": ["renovation_approval"],
    }]
    if violations:
        sections.append({
            "key": "renovation.violations", "title": "Renovation violations", "title_zh": "装修违章处理",
            "level": "normal",
            "columns": [("Notice", "通知单号"), ("Rule", "违章条款"), ("Rectify by", "整改期限"), ("Status", "状态")],
            "rows": [[v.number, v.code, v.deadline, v.status] for v in violations],
            "links": [{"text": v.number, "view": "renovation_violations", "record_id": v.id} for v in violations],
            "provides": ["violation_notice"],
        })
    return sections
