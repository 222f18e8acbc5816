"""The move-in plugin's printable documents (hook ``wuye_documents``): the move-in notice
(入伙通知书) and the handover confirmation (收楼确认书) the owner, or his agent, signs after the
joint inspection, with the meter readings and the defect list."""

from __future__ import annotations

from core import Document, estate_now
from plugins.move_in.labels import RESPONSIBLE
from plugins.move_in.models import MoveInCase
from plugins.move_in.notices import settings

NOTICE_ITEMS = (("Move-in notice (this letter)", "入伙通知书（本通知）"),
                ("ID cards of the owner and household members (originals and one copy each)",
                 "业主及家庭成员身份证（原件及复印件各一份）"),
                ("Purchase contract (original and copy)", "购房合同（原件及复印件）"),
                ("One-inch colour photos for each person", "每人一寸彩照"),
                ("Power of attorney and the agent's ID, if someone comes for you", "如委托他人办理：业主委托书及受托人身份证"))


def _local(session, case, moment) -> str:
    return estate_now(session, case.estate, moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def notice_context(session, case: MoveInCase, actor, **_params) -> dict:
    """The notice: owner, unit, the date to come by, what to bring."""
    return {"case": case, "unit": case.unit, "owner": case.owner, "items": NOTICE_ITEMS,
            "photos": settings(session)["photos_per_person"],
            "signatures": [("Management office", "管理处"), ("Received by the owner", "业主签收")]}


def handover_context(session, case: MoveInCase, actor, **_params) -> dict:
    """The handover form: the inspection, meter readings, defects and signatures."""
    return {"case": case, "unit": case.unit, "owner": case.owner,
            "inspected": _local(session, case, case.inspected_at), "signed": _local(session, case, case.signed_at),
            "defects": [(d, RESPONSIBLE.get(d.responsible, (d.responsible, d.responsible))) for d in case.defects],
            "signatures": [("Owner / agent", "业主/受托人"), ("Customer service", "客服专员"), ("Engineering", "工程部")]}


def documents() -> list[Document]:
    return [
        Document(name="move_in.notice", label="Move-in notice", label_zh="入伙通知书", model=MoveInCase,
                 template="move_in/notice.html", context=notice_context, permission="move_in.view",
                 number=lambda c: c.number, page_size="A4", order=10),
        Document(name="move_in.handover_form", label="Handover confirmation", label_zh="收楼确认书", model=MoveInCase,
                 template="move_in/handover_form.html", context=handover_context, permission="move_in.view",
                 number=lambda c: c.number, page_size="A4", order=20),
    ]
