"""Move-in's parts of an owner archive (hook ``wuye_archive_sections`` of the archive plugin, KF09 §4.1).

* ``move_in`` (入伙资料, normal): each move-in case of the owner at the unit with its steps, and the
  defects of the joint inspection. It proves the documents the desk collects at move-in: the
  资料签收表 (``receipt_form``) once the documents were checked and received, and, once the owner
  signed at the desk (step ``sign``, where the handover form is signed together with the covenant
  and the fire-safety letter, one copy of each for the archive), the 房屋交付验收表/收楼确认书
  (``handover_form``), the 业主公约 (``owner_covenant``) and the 消防安全责任书 (``fire_safety_letter``).
* ``move_in.identity`` (入伙身份证件及合同, confidential): what was checked of the IDs and the purchase
  contract, the agent's name and ID number, and the copies attached to the case (ID copies, the
  contract, the power of attorney).

The records are returned as they are: the archive plugin checks permission, approval and estate and
logs every opening. Nothing here imports the archive plugin.
"""

from __future__ import annotations

from sqlalchemy import select

from core import list_attachments
from plugins.move_in.labels import DEFECT_STATES, RESPONSIBLE
from plugins.move_in.models import MoveInCase, MoveInDefect
from plugins.move_in.workflows import STATES

CASES = "move_in_cases"
STATUS_ZH = {s.name: s.label_zh for s in STATES}
# Attachment kinds that carry ID numbers or the contract: shown only in the confidential part.
CONFIDENTIAL_KINDS = ("id_copy", "contract", "power_of_attorney")
SIGNED_PAPERS = ["handover_form", "owner_covenant", "fire_safety_letter"]


def _day(moment):
    return moment.date() if moment is not None else ""


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def cases_of(session, unit, party) -> list[MoveInCase]:
    """The owner's move-in cases at the unit, oldest first."""
    return list(session.scalars(select(MoveInCase).where(MoveInCase.unit_id == unit.id,
                                                         MoveInCase.owner_id == party.id)
                                .order_by(MoveInCase.id)))


def provided(cases: list[MoveInCase]) -> list[str]:
    """The archive document types the cases prove (see the module's docstring)."""
    out: list[str] = []
    if any(c.id_checked and c.contract_checked for c in cases):
        out.append("receipt_form")
    if any(c.signed_at is not None for c in cases):
        out += SIGNED_PAPERS
    return out


def _case_part(session, cases: list[MoveInCase]) -> dict:
    rows = [[c.number, STATUS_ZH.get(c.status, c.status), c.notice_sent_on, c.notified_by,
             f"{c.persons}人/{c.photos_count}张" if c.id_checked else "", _day(c.inspected_at),
             c.signed_by_name, _day(c.signed_at), c.keys_count, _day(c.done_at) or c.deemed_on or ""]
            for c in cases]
    # queried, not ``case.defects``: a relationship loaded earlier in the session would miss new ones
    defects = list(session.scalars(select(MoveInDefect).where(MoveInDefect.case_id.in_([c.id for c in cases]))
                                   .order_by(MoveInDefect.id)))
    rows += [[d.case.number, "整改项", d.created_at.date(), d.due_on, f"{d.location} {d.description}".strip(),
              RESPONSIBLE.get(d.responsible, (d.responsible, d.responsible))[1], d.repair_number,
              DEFECT_STATES.get(d.state, (d.state, d.state))[1], "", d.rectified_on or ""] for d in defects]
    return {"key": "move_in", "title": "Move-in", "title_zh": "入伙资料", "level": "normal",
            "columns": [("Case / defect of", "入伙编号"), ("Step", "进度"), ("Notice sent / found", "通知日期/登记日期"),
                        ("Come by / rectify by", "办理期限/整改期限"), ("Persons / photos", "人数/照片"),
                        ("Inspected", "验房日期"), ("Signed by", "签署人"), ("Signed", "签署日期"),
                        ("Key sets", "钥匙套数"), ("Done / deemed", "办结/视同交付日期")],
            "rows": rows, "links": [{"text": c.number, "view": CASES, "record_id": c.id} for c in cases],
            "provides": provided(cases)}


def _identity_part(session, cases: list[MoveInCase]) -> dict:
    rows = [[c.number, "核验记录", f"身份证原件已核验：{_yes(c.id_checked)}；购房合同已核验：{_yes(c.contract_checked)}",
             c.agent_name, c.agent_id_number, ""] for c in cases]
    kinds = MoveInCase.attachment_kinds
    for c in cases:
        rows += [[c.number, kinds[a.kind][1], a.filename, "", "", a.uploaded_at.date()]
                 for a in list_attachments(session, c) if a.kind in CONFIDENTIAL_KINDS]
    return {"key": "move_in.identity", "title": "Move-in IDs and contract", "title_zh": "入伙身份证件及合同",
            "level": "confidential",
            "columns": [("Case", "入伙编号"), ("Document", "资料"), ("Checked / file", "核验情况/文件"),
                        ("Agent", "受托人"), ("Agent's ID number", "受托人证件号码"), ("Filed", "归档日期")],
            "rows": rows, "links": [{"text": c.number, "view": CASES, "record_id": c.id} for c in cases]}


def archive_sections(session, unit, party) -> list[dict]:
    """The parts of ``party``'s archive at ``unit`` that move-in keeps; none without a case."""
    cases = cases_of(session, unit, party)
    if not cases:
        return []
    return [_case_part(session, cases), _identity_part(session, cases)]
