"""The move-in case's page (入伙办理): a card with the form of the step at hand, mixed into the screen.

The generated record page has the workflow buttons (fees paid, sign, issue the keys, complete), the
attachments and the printouts. The steps that carry data get their form here: the appointment, the
document checklist (with the agent and his power of attorney), the defects found at the joint
inspection and the meter readings. Each form posts to this screen and comes back to the case's page
with a message; bad input changes nothing.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from markupsafe import Markup
from sqlalchemy import select

from core import Text, ValidationError, WuyeError, estate_now, fen_to_yuan, has_permission, list_attachments
from core import request_actor as _actor
from core import request_session as _session
from plugins.move_in import inspection, workflows
from plugins.move_in.labels import RESPONSIBLE
from plugins.move_in.models import MoveInSlot
from plugins.move_in.notices import booked_count, settings
from plugins.move_in.steps import guard_past_notified_date, open_amount_fen

DATA_STEPS = {"book": ("slot_id",),
              "check_documents": ("id_checked", "contract_checked", "persons", "photos_count", "agent_name",
                                  "agent_id_number", "power_of_attorney_id"),
              "inspect": ("inspectors", "water_reading", "electricity_reading", "gas_reading")}
BOOLS, INTS = ("id_checked", "contract_checked"), ("slot_id", "persons", "photos_count", "power_of_attorney_id")


def _message(exc: WuyeError) -> str:
    if isinstance(exc, ValidationError) and isinstance(exc.errors, dict):
        return "；".join(" ".join(str(m) for m in (v if isinstance(v, list) else [v])) for v in exc.errors.values())
    return str(exc.message)


def _value(name: str, raw: str | None):
    raw = (raw or "").strip()
    if name in BOOLS:
        return raw in ("on", "1", "true", "yes")
    if name in INTS:
        if not raw:
            return None if name in ("slot_id", "power_of_attorney_id") else 0
        if not raw.isdigit():
            raise ValidationError(Text(f"{raw!r} is not a whole number", f"“{raw}”不是整数"), field=name)
        return int(raw)
    return raw


def _form(action: str, case_id: int, inner: Markup, button: str, css: str = "btn-primary", step: str = "") -> Markup:
    from flask_wtf.csrf import generate_csrf

    hidden = Markup('<input type="hidden" name="step" value="{}">').format(step) if step else Markup("")
    return Markup('<form method="post" action="{}" class="mb-2 wuye-move-in-{}">'
                  '<input type="hidden" name="csrf_token" value="{}"><input type="hidden" name="id" value="{}">{}'
                  '{}<button class="btn btn-sm {}" type="submit">{}</button></form>').format(
        url_for(f".{action}_view"), step or action, generate_csrf(), case_id, hidden, inner, css, button)


def _input(name: str, label: Text, value="", kind: str = "text", size: int = 12) -> Markup:
    return Markup('<label class="mr-1 small" for="mi-{0}">{1}</label><input id="mi-{0}" name="{0}" type="{2}" '
                  'value="{3}" size="{4}" class="form-control form-control-sm d-inline-block w-auto mr-2 mb-1">').format(
        name, str(label), kind, value, size)


def _check(name: str, label: Text) -> Markup:
    return Markup('<label class="mr-3 small"><input type="checkbox" name="{0}" id="mi-{0}"> {1}</label>').format(
        name, str(label))


def _documents_form(session, case) -> Markup:
    per = settings(session)["photos_per_person"]
    letters = [a for a in list_attachments(session, case) if a.kind == "power_of_attorney"]
    options = Markup("").join(Markup('<option value="{}">{}</option>').format(a.id, a.filename) for a in letters)
    inner = (_check("id_checked", Text("ID originals checked, copies kept", "身份证原件已核验，复印件已留存"))
             + _check("contract_checked", Text("Purchase contract checked", "购房合同已核验")) + Markup("<br>")
             + _input("persons", Text("Persons", "登记人数"), 1, "number", 3)
             + _input("photos_count", Text(f"Photos received ({per} per person)", f"收到照片张数（每人 {per} 张）"), "",
                      "number", 3)
             + Markup("<br>") + _input("agent_name", Text("Agent (if the owner did not come)", "受托人（业主未亲自办理时）"))
             + _input("agent_id_number", Text("Agent's ID number", "受托人身份证号"), size=20)
             + Markup('<label class="mr-1 small" for="mi-power_of_attorney_id">{}</label><select id="mi-power_of_attorney_id" '
                      'name="power_of_attorney_id" class="form-control form-control-sm d-inline-block w-auto mr-2 mb-1">'
                      '<option value=""></option>{}</select><br>').format(
                 str(Text("Power of attorney (upload it below as 业主委托书)", "业主委托书（请先在附件中上传）")), options))
    return _form("step", case.id, inner, str(Text("Documents checked", "资料核验完成")), step="check_documents")


def _local(session, case, moment: dt.datetime, fmt: str) -> str:
    """A slot's time (kept in UTC) as the estate's local time: what the clerk tells the owner."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return estate_now(session, case.estate, moment).strftime(fmt)


def _book_form(session, case) -> Markup:
    slots = [s for s in session.scalars(select(MoveInSlot).where(MoveInSlot.estate_id == case.estate_id)
                                        .order_by(MoveInSlot.starts_at)) if booked_count(session, s) < s.capacity]
    if not slots:
        return Markup("")
    def taken(s) -> str:
        n = booked_count(session, s)
        return str(Text(f"{n} of {s.capacity} booked", f"已约 {n}/{s.capacity} 户"))

    options = Markup("").join(Markup('<option value="{}">{}–{}（{}）</option>').format(
        s.id, _local(session, case, s.starts_at, "%Y-%m-%d %H:%M"), _local(session, case, s.ends_at, "%H:%M"),
        taken(s)) for s in slots)
    inner = Markup('<select name="slot_id" class="form-control form-control-sm d-inline-block w-auto mr-2">{}</select>'
                   ).format(options)
    return _form("step", case.id, inner, str(Text("Book", "预约")), "btn-outline-primary", step="book")


def _inspection_forms(session, case) -> Markup:
    options = Markup("").join(Markup('<option value="{}">{}</option>').format(k, zh) for k, (_en, zh) in RESPONSIBLE.items())
    defect = (_input("location", Text("Location", "部位"), size=10) + _input("description", Text("Defect", "问题描述"), size=30)
              + Markup('<select name="responsible" class="form-control form-control-sm d-inline-block w-auto mr-2">{}'
                       '</select>').format(options))
    readings = (_input("inspectors", Text("Inspectors", "验房人员"), size=14)
                + _input("water_reading", Text("Water meter", "水表读数"), size=8)
                + _input("electricity_reading", Text("Electricity meter", "电表读数"), size=8)
                + _input("gas_reading", Text("Gas meter", "燃气表读数"), size=8))
    return (_form("defect", case.id, defect, str(Text("Record the defect", "登记整改项")), "btn-outline-warning")
            + _form("step", case.id, readings, str(Text("Joint inspection done", "联合验房完成")), step="inspect"))


# What the clerk does next, for the steps whose form is a button of the status bar above the card.
NEXT = {
    "notified": Text("Next: check the owner's documents below (or book an appointment).",
                     "下一步：核验业主资料（业主另约时间的，先预约）。"),
    "booked": Text("Next: when the owner comes, check the documents below.", "下一步：业主到场后核验下列资料。"),
    "fees_paid": Text("Next: the joint inspection; record each defect, then the meter readings.",
                      "下一步：联合验房，逐项登记整改项，再填写水电表读数。"),
    "inspected": Text("Next: print the handover form (打印 收楼确认书) for the owner to sign, then press “签署收楼确认书”.",
                      "下一步：打印收楼确认书请业主签字，然后点“签署收楼确认书”。"),
    "signed": Text("Next: hand over the keys (the owner or the agent signs the key register): press “交付钥匙”.",
                   "下一步：交付钥匙（业主或受托人在钥匙领用登记表上签字），点“交付钥匙”。"),
    "keys_issued": Text("Next: press “入伙办结”; the unit becomes delivered.", "下一步：点“入伙办结”，房屋状态变为已交付。"),
    "done": Text("The move-in is completed.", "入伙手续已办结。"),
    "deemed": Text("Deemed delivered: the owner did not come in time. If the owner comes now, check the documents below.",
                   "业主逾期未办理，已视同交付。业主现在来办理的，请核验下列资料。"),
}


def step_card(session, actor, case) -> Markup | None:
    """The card of the step at hand: its form, and the facts the clerk needs for it."""
    if not has_permission(session, actor, "move_in.view"):
        return None
    manage = has_permission(session, actor, "move_in.manage")
    owed = open_amount_fen(session, case)
    facts = [(Text("Owner", "业主"), case.owner.name), (Text("Come by", "办理期限"), case.notified_by.isoformat()),
             (Text("Open amount in billing", "账单未缴金额"), f"¥{fen_to_yuan(owed)}")]
    body = Markup('<dl class="row mb-2">{}</dl>').format(Markup("").join(
        Markup('<dt class="col-sm-4">{}</dt><dd class="col-sm-8" id="mi-fact-{}">{}</dd>').format(str(k), i, str(v))
        for i, (k, v) in enumerate(facts)))
    if case.status in NEXT:
        body += Markup('<p class="mb-2 font-weight-bold" id="mi-next">{}</p>').format(str(NEXT[case.status]))
    if case.status in ("inspected", "signed"):
        body += Markup('<a class="btn btn-sm btn-outline-secondary mb-2" id="mi-print-handover" target="_blank" '
                       'href="{}">{}</a>').format(url_for("documents.print_view", doc="move_in.handover_form",
                                                          ident=case.id), str(Text("Print the handover form",
                                                                                   "打印收楼确认书")))
    if manage:
        if case.status == "notified":
            body += _book_form(session, case)
        if case.status in ("notified", "booked", "deemed"):
            body += _documents_form(session, case)
        if case.status == "fees_paid":
            body += _inspection_forms(session, case)
    if case.status == "documents_checked":
        hint = (Text("Fees paid: press “确认已缴费”.", "费用已缴清，请点“确认已缴费”。") if owed == 0 else
                Text("The owner pays the open amount at the cashier first.", "请业主先到收费处缴清上述金额。"))
        body += Markup('<p class="small text-muted mb-0" id="mi-fees-hint">{}</p>').format(str(hint))
    return Markup('<div class="card mb-3 border-primary" id="move-in-step"><div class="card-header">{}</div>'
                  '<div class="card-body">{}</div></div>').format(str(Text("Move-in procedure", "入伙办理")), body)


# The generated details page shows the record's table first and the sections after it; a clerk must see
# the step at hand at once, so the card is marked and moved up to just below the status bar.
class CasePage:
    """Mixed into the move-in cases' screen: the step card and its forms, above the case's details."""

    def _lead_sections(self, record):
        # the next step first, above the long details table: what a clerk at the desk looks for
        card = step_card(_session(), _actor(), record)
        return [*super()._lead_sections(record), card] if card is not None else super()._lead_sections(record)

    def record_context(self, record) -> dict:
        """The status bar without the buttons of the steps that need data (their forms are on the card)
        and without "deemed delivered" before the owner's date has passed."""
        ctx = super().record_context(record)
        # "deem" before the notified date would only be refused: offered once the date has passed
        early = guard_past_notified_date(_session(), record, _actor()) is not None
        ctx["transitions"] = [t for t in ctx.get("transitions", ())
                              if t["name"] not in DATA_STEPS and not (t["name"] == "deem" and early)]
        ctx["next_states"] = [s for s in ctx.get("next_states", ()) if not (s[0] == "deemed" and early)]
        return ctx

    def _case(self):
        case = self.get_one(request.form.get("id", ""))  # within the reader's estates, else 404
        if case is None:
            abort(404)
        return case

    def _run(self, work, done: Text):
        case = self._case()
        session = _session()
        try:
            work(session, _actor(), case)
            session.commit()
            flash(str(done), "success")
        except WuyeError as exc:
            session.rollback()
            flash(_message(exc), "error")
        return redirect(self.get_url(".details_view", id=case.id))

    @expose("/step/", methods=("POST",))
    def step_view(self):
        form = request.form
        step = form.get("step", "")
        if step not in DATA_STEPS:
            abort(400)

        def work(session, actor, case):
            data = {name: _value(name, form.get(name)) for name in DATA_STEPS[step]}
            workflows.transition(session, actor, case, step, **data)

        return self._run(work, Text("Done.", "已完成。"))

    @expose("/defect/", methods=("POST",))
    def defect_view(self):
        form = request.form

        def work(session, actor, case):
            inspection.record_defect(session, actor, case_id=case.id, location=(form.get("location") or "").strip(),
                                     description=(form.get("description") or "").strip(),
                                     responsible=form.get("responsible") or "engineering")

        return self._run(work, Text("Defect recorded.", "整改项已登记。"))
