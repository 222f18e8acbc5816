"""Renovation's printable documents (hook ``wuye_documents``): the renovation permit (装修施工许可证)
posted at the unit's door, and the worker pass (装修人员出入证) each worker carries."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core import Document, mask_id_number, settings_of
from core.models import Unit
from plugins.renovation.labels import CHOICES, TRADES
from plugins.renovation.models import RenovationApplication, RenovationWorker, RenovationWorkerPass
from plugins.renovation.settings import DEFAULTS, work_hours_for


def _hours(session: Session, estate_code: str) -> str:
    spans = work_hours_for(settings_of(session, "renovation", DEFAULTS), estate_code)
    return ", ".join(f"{a:%H:%M}-{'24:00' if b.hour == 23 and b.minute == 59 else f'{b:%H:%M}'}" for a, b in spans)


def permit_context(session: Session, app: RenovationApplication, actor, **_params) -> dict:
    """The permit: unit, applicant, contractor and site manager, scope, dates, hours, workers."""
    scope = CHOICES["scope"]
    return {"app": app, "unit": session.get(Unit, app.unit_id), "applicant": app.applicant,
            "scope": [scope.get(code, (code, code)) for code in app.scope or ()],
            "hours": _hours(session, app.estate.code), "workers": list(app.workers), "trades": TRADES,
            "signatures": [("Applicant", "申请人"), ("Contractor", "施工单位"), ("Issued by", "发证人")]}


def pass_context(session: Session, card: RenovationWorkerPass, actor, **_params) -> dict:
    """The worker pass: worker, masked ID, trade, unit, valid until; a photo box."""
    worker = session.get(RenovationWorker, card.worker_id)
    app = session.get(RenovationApplication, card.application_id)
    return {"card": card, "worker": worker, "app": app, "unit": session.get(Unit, app.unit_id),
            "id_masked": mask_id_number(card.id_number), "trade": TRADES.get(worker.trade, (worker.trade,) * 2),
            "hours": _hours(session, app.estate.code), "signatures": [], "show_stamp": True}


def documents() -> list[Document]:
    return [
        Document(name="renovation.permit", label="Renovation permit", label_zh="装修施工许可证",
                 model=RenovationApplication, template="renovation/permit.html", context=permit_context,
                 permission="renovation.issue_permit", number=lambda a: a.permit_no, page_size="A4",
                 applies=lambda a: bool(a.permit_no), order=10),
        Document(name="renovation.worker_pass", label="Worker pass", label_zh="装修人员出入证",
                 model=RenovationWorkerPass, template="renovation/worker_pass.html", context=pass_context,
                 permission="renovation.passes", number=lambda p: p.number, page_size="A5",
                 applies=lambda p: p.status == "issued", order=20),
    ]
