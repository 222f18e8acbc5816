"""The actions of intake on the record pages of 来电来访登记 (reception records) and 事件 (incidents).

A reception record's page offers, to whoever may do it: route it to the plugin that handles its
category ("转派到报修"), answer it at the desk, or open an incident from it together with the
possible duplicates (same estate and category, received within hours) ticked in a list, or merge it
into an open incident. An incident's page lists its reports (phones masked) and the callers to call
back, and offers "resolve and notify reporters". Each button POSTs (with the CSRF token) to
``/admin/intake-actions/...``, which runs the service of :mod:`core.intake` and returns to the page.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_admin import BaseView, expose
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.routing import BuildError

from core.clock import estate_now
from core.errors import NotFound, ValidationError, WuyeError
from core.intake import (
    answer_intake,
    close_intake,
    find_possible_duplicates,
    handler_for,
    incident_from_intake,
    merge_into_incident,
    open_incidents,
    reporters_of,
    resolve_incident,
    route_intake,
)
from core.models import Unit
from core.models.intake import Incident, IncidentStatus, Intake, IntakeStatus
from core.scoping import get_scoped, scope
from core.security.grants import has_permission
from core.text import Text
from core.web.admin.pages import StaffPage
from core.web.context import actor, db
from core.web.i18n import Bilingual, pick
from core.web.integration import masked
from core.web.labels import message_text

ENDPOINT = "intake_actions"


def _when(estate_id: int, at) -> str:
    return estate_now(db(), estate_id, now=at).strftime("%Y-%m-%d %H:%M") if at else ""


def _status(value) -> str:
    labels = {**IntakeStatus.__labels__, **IncidentStatus.__labels__}
    return pick(*labels.get(getattr(value, "value", value), (str(value), "")))


def _columns() -> list[str]:
    return [pick("Number", "编号"), pick("Received at", "受理时间"), pick("Caller", "来电/来访人"),
            pick("Phone", "联系电话"), pick("Unit", "房屋"), pick("Status", "状态")]


def _rows(intakes: list[Intake]) -> list[dict]:
    units = {u.id: u for u in db().scalars(select(Unit).where(Unit.id.in_({i.unit_id for i in intakes if i.unit_id})))}
    return [{"id": i.id, "number": i.number, "url": url_for("core_intakes.details_view", id=i.id),
             "cells": [_when(i.estate_id, i.received_at), i.caller_name,
                       masked(db(), actor(), i.caller_phone, "phone"),
                       units[i.unit_id].label if i.unit_id in units else "", _status(i.status)]}
            for i in intakes]


def _action(name: str, ident: int) -> str:
    return url_for(f"{ENDPOINT}.{name}", ident=ident)


def _routed_fact(record: Intake) -> dict:
    """Where the record went: the handler's name and a link to the record's page when a screen shows it."""
    handler = handler_for(db(), getattr(record.category, "value", record.category))
    where = pick(handler.label, handler.label_zh) if handler is not None else record.routed_table
    try:  # generated screens are usually named after their table (keys_loans)
        url = url_for(f"{record.routed_table}.details_view", id=record.routed_id)
    except BuildError:
        url = ""
    return {"label": pick("Routed", "已转派"), "text": f"{where} #{record.routed_id}", "url": url}


def _intake_section(record: Intake) -> dict:
    session, user = db(), actor()
    facts, forms, listing = [], [], None
    if record.routed_table:
        facts.append(_routed_fact(record))
    if record.incident_id:
        incident = session.get(Incident, record.incident_id)
        facts.append({"label": pick("Incident", "所属事件"), "text": str(incident),
                      "url": url_for("core_incidents.details_view", id=incident.id)})
    if record.reply:
        facts.append({"label": pick("Reply", "答复"), "text": record.reply})
    is_new = IntakeStatus(record.status) == IntakeStatus.new
    if is_new and has_permission(session, user, "core.intake.route"):
        handler = handler_for(session, getattr(record.category, "value", record.category))
        if handler is not None:
            forms.append({"name": "route", "action": _action("route", record.id),
                          "button": pick(handler.label, handler.label_zh)})
    if is_new and has_permission(session, user, "core.intake.register"):
        forms.append({"name": "answer", "action": _action("answer", record.id), "textarea": "reply",
                      "placeholder": pick("The answer given to the caller", "给来电人的答复"),
                      "button": pick("Answer and close", "答复并关闭"), "css": "btn-secondary"})
        forms.append({"name": "close", "action": _action("close", record.id), "text": "reason",
                      "placeholder": pick("Why nothing more is needed (wrong number, repeat call...)",
                                          "关闭原因（打错电话、重复来电等）"),
                      "button": pick("Close without action", "无需处理，关闭"), "css": "btn-outline-secondary"})
    duplicates = find_possible_duplicates(session, record) if is_new else []
    if is_new and has_permission(session, user, "core.incidents.manage"):
        incidents = open_incidents(session, record.estate_id, getattr(record.category, "value", record.category))
        if incidents:
            forms.append({"name": "merge", "action": _action("merge", record.id), "select": "incident_id",
                          "choices": [(i.id, str(i)) for i in incidents],
                          "button": pick("Merge into this incident", "并入该事件"), "css": "btn-secondary"})
        forms.append({"name": "incident", "action": _action("open_incident", record.id), "text": "title",
                      "placeholder": pick("Incident title (empty: this record's summary)", "事件名称（空：用本登记事由）"),
                      "rows": _rows([d for d in duplicates if IntakeStatus(d.status) == IntakeStatus.new]),
                      "button": pick("Open an incident with the ticked records", "以勾选的登记开立事件"),
                      "css": "btn-warning"})
    elif is_new:
        listing = {"title": pick("Possible duplicates", "可能重复的登记"), "rows": _rows(duplicates),
                   "empty": pick("None", "无")}
    return {"t": {"title": pick("Reception", "来电来访处理")}, "facts": facts, "forms": forms, "listing": listing}


def _incident_section(record: Incident) -> dict:
    session, user = db(), actor()
    reports = list(session.scalars(select(Intake).where(Intake.incident_id == record.id)
                                   .order_by(Intake.received_at, Intake.id)))
    reporters = reporters_of(session, record)
    facts = [{"label": pick("Reports", "报告数"), "text": str(len(reports))},
             {"label": pick("Reporters told by SMS when resolved", "解决后短信通知的报告人"),
              "text": str(len(reporters.party_ids) + len(reporters.phones))}]
    if reporters.phones:  # texted at the number they left, like the owners on file
        facts.append({"label": pick("Of whom callers known only by a phone", "其中仅留电话的来电人"),
                      "text": ", ".join(masked(session, user, p, "phone") for p in reporters.phones)})
    if record.resolution:
        facts.append({"label": pick("Resolution", "处理结果"), "text": record.resolution})
    forms = []
    if IncidentStatus(record.status) == IncidentStatus.open and has_permission(session, user, "core.incidents.manage"):
        forms.append({"name": "resolve", "action": _action("resolve", record.id), "textarea": "resolution",
                      "placeholder": pick("What was done (sent to every reporter)", "处理结果（将发送给每位报告人）"),
                      "button": pick("Resolve and notify reporters", "处理完毕并通知报告人"), "css": "btn-success"})
    listing = {"title": pick("Reports", "报告"), "rows": _rows(reports), "empty": pick("None yet", "暂无")}
    return {"t": {"title": pick("Incident", "事件处理")}, "facts": facts, "forms": forms, "listing": listing}


def record_section(view, record):
    """The action block of a reception record's or an incident's page, or None for other records."""
    if isinstance(record, Intake):
        ctx = _intake_section(record)
    elif isinstance(record, Incident):
        ctx = _incident_section(record)
    else:
        return None
    return Markup(render_template("wuye/intake/section.html", columns=_columns(), **ctx))


def _error_text(exc: WuyeError) -> str:
    if isinstance(exc, ValidationError) and isinstance(exc.errors, dict):
        return "; ".join(message_text(m) for messages in exc.errors.values()
                         for m in (messages if isinstance(messages, list) else [messages]))
    return message_text(exc.message)


class IntakeActionsView(StaffPage, BaseView):
    """The POST targets of the buttons on reception records' and incidents' pages (not in the menu)."""

    permission = "core.intake.view"

    def __init__(self):
        super().__init__(name=Bilingual("Reception actions", "来电来访处理"), endpoint=ENDPOINT,
                         url="/admin/intake-actions")

    def is_visible(self) -> bool:
        return False

    @expose("/")
    def index(self):
        return redirect(url_for("core_intakes.index_view"))

    def _run(self, model, ident: int, work, done: Bilingual):
        """Load the record within the user's estates (else 404), run ``work(record)``, come back to its page."""
        try:
            record = get_scoped(db(), actor(), model, ident)
        except NotFound:
            abort(404)
        target = url_for(f"{model.__tablename__}.details_view", id=record.id)
        try:
            with db().begin_nested():
                result = work(record)
            db().commit()
        except WuyeError as exc:
            db().rollback()
            flash(_error_text(exc), "error")
            return redirect(target)
        flash(str(done), "success")
        if isinstance(result, Incident) and model is Intake:
            return redirect(url_for("core_incidents.details_view", id=result.id))
        return redirect(target)

    @expose("/intakes/<int:ident>/route", methods=("POST",))
    def route(self, ident: int):
        return self._run(Intake, ident, lambda r: route_intake(db(), r, actor()), Bilingual("Routed.", "已转派。"))

    @expose("/intakes/<int:ident>/answer", methods=("POST",))
    def answer(self, ident: int):
        reply = request.form.get("reply", "")
        return self._run(Intake, ident, lambda r: answer_intake(db(), r, actor(), reply),
                         Bilingual("Answered.", "已答复。"))

    @expose("/intakes/<int:ident>/close", methods=("POST",))
    def close(self, ident: int):
        reason = request.form.get("reason", "")
        return self._run(Intake, ident, lambda r: close_intake(db(), r, actor(), reason),
                         Bilingual("Closed.", "已关闭。"))

    @expose("/intakes/<int:ident>/incident", methods=("POST",))
    def open_incident(self, ident: int):
        title = request.form.get("title", "")[:200]
        ids = _ids(request.form.getlist("intake_ids"))

        def work(record):
            incident = incident_from_intake(db(), actor(), record, title)
            others = [i for i in db().scalars(scope(select(Intake).where(Intake.id.in_(ids), Intake.id != record.id),
                                                    actor(), Intake, session=db()))]
            if others:
                merge_into_incident(db(), actor(), incident, others)
            return incident

        return self._run(Intake, ident, work, Bilingual("Incident opened.", "已开立事件。"))

    @expose("/intakes/<int:ident>/merge", methods=("POST",))
    def merge(self, ident: int):
        ids = _ids([request.form.get("incident_id", "")])

        def work(record):
            if not ids:
                raise ValidationError(pick("Choose the incident.", "请选择事件。"), field="incident_id")
            try:
                incident = get_scoped(db(), actor(), Incident, ids[0])
            except NotFound:
                raise ValidationError(pick("No such incident.", "没有该事件。"), field="incident_id") from None
            return merge_into_incident(db(), actor(), incident, [record])

        return self._run(Intake, ident, work, Bilingual("Merged into the incident.", "已并入事件。"))

    @expose("/incidents/<int:ident>/resolve", methods=("POST",))
    def resolve(self, ident: int):
        resolution = request.form.get("resolution", "")
        return self._run(Incident, ident, lambda r: resolve_incident(db(), actor(), r, resolution),
                         Bilingual("Resolved; the reporters are being notified.", "已处理，正在通知报告人。"))


def _ids(values) -> list[int]:
    out = []
    for v in values:
        try:
            n = int(v)
        except (TypeError, ValueError):
            continue
        if 0 < n < 2**31:
            out.append(n)
    return out


def add_views(admin, app) -> None:
    """Add the action routes of reception records and incidents (called once by build_admin)."""
    admin.add_view(IntakeActionsView())



def _label(value) -> str:
    pair = (getattr(type(value), "__labels__", None) or {}).get(getattr(value, "value", value))
    return pick(*pair) if pair else str(getattr(value, "value", value))


def unit_panel(session, user, unit):
    """The unit's calls and visits (来电来访) on its page, first among the panels: what was asked
    lately and a button that opens the reception form on this unit. Core's own panel (core
    implements no hooks of the web layer); None without ``core.intake.view``."""
    from core.scoping import scoped_select
    from core.web.panels import Panel

    if not has_permission(session, user, "core.intake.view"):
        return None
    rows = []
    for r in session.scalars(scoped_select(session, user, Intake).where(Intake.unit_id == unit.id)
                             .order_by(Intake.received_at.desc(), Intake.id.desc()).limit(10)):
        rows.append([Panel.link(r.number, "core_intakes", r.id), _label(r.category), r.summary,
                     estate_now(session, r.estate_id, now=r.received_at).strftime("%Y-%m-%d %H:%M"),
                     _label(r.status)])
    actions = []
    if has_permission(session, user, "core.intake.register"):
        actions.append(Panel.action(Text("Register a call or visit", "登记来电来访"), "core_intakes", unit_id=unit.id))
    return Panel(title="Calls and visits", title_zh="来电来访", key="intake", rows=rows, actions=actions,
                 columns=[Text("Number", "编号"), Text("Category", "类别"), Text("Subject", "事由"),
                          Text("Received", "受理时间"), Text("Status", "状态")],
                 empty=Text("No calls or visits registered.", "暂无来电来访记录。"), order=0)
