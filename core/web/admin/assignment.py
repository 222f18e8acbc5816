"""Assignment on the staff pages: the block on every record page that has an assignee or a deadline
(who holds it, due time and escalation level, history, 指派/改派, 抢单, 退回), the POST targets of its
buttons (``/admin/assignment-actions/...``, CSRF-checked), and the breach report page ``/admin/breaches/``
(超时统计, per person and per team, over a period, for the reader's estates)."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from markupsafe import Markup
from sqlalchemy import select

from core.assignment import assign, assignment_history, breach_report, current_assignment, grab, release
from core.assignment.service import identity, load_record, works_for
from core.clock import day_bounds, estate_now, estate_today
from core.errors import NotFound, ValidationError, WuyeError
from core.models import Estate, Role, StaffUser
from core.models.assignment import DispatchMode, Team, TeamMember
from core.scoping import visible_estate_ids
from core.security.grants import has_permission
from core.web.admin.pages import StaffPage
from core.web.context import actor, db
from core.web.i18n import Bilingual, pick
from core.web.labels import message_text
from core.workflow.deadlines import chain_of, levels_done, open_deadline

ENDPOINT = "assignment_actions"
MODE_LABELS = DispatchMode.__labels__


def _when(estate_id, moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return estate_now(db(), estate_id, now=moment).strftime("%Y-%m-%d %H:%M")


def _role(name: str) -> str:
    row = db().scalar(select(Role).where(Role.name == name))
    return pick(row.label or name, row.label_zh) if row is not None else name


def _mode(mode) -> str:
    en, zh = MODE_LABELS.get(getattr(mode, "value", mode), (str(mode), str(mode)))
    return pick(en, zh)


def _holder(a) -> str:
    if a is None:
        return pick("Nobody yet", "未派工")
    if a.is_offered:
        return pick(f"Offered to {a.team} (grab)", f"待抢单：{a.team}")
    return " / ".join(x for x in (str(a.assignee) if a.assignee else "", a.team.name if a.team else "") if x)


def _form(action: str, table: str, ident: int, back: str, inner: Markup, button: str, css: str) -> Markup:
    from flask_wtf.csrf import generate_csrf

    return Markup('<form method="post" action="{}" class="form-inline mb-2 wuye-assignment-{}">'
                  '<input type="hidden" name="csrf_token" value="{}"><input type="hidden" name="back" value="{}">'
                  '{}<button class="btn btn-sm {}" type="submit">{}</button></form>').format(
        url_for(f"{ENDPOINT}.{action}", table=table, ident=ident), action, generate_csrf(), back, inner, css, button)


def _assign_form(table, ident, estate_id, back, current) -> Markup:
    session = db()
    staff = [s for s in session.scalars(select(StaffUser).where(StaffUser.active).order_by(StaffUser.full_name,
                                                                                         StaffUser.id).limit(500))
             if works_for(s, estate_id)]
    teams = list(session.scalars(select(Team).where(Team.estate_id == estate_id, Team.active).order_by(Team.name)))
    options = Markup("").join(Markup('<option value="{}">{}</option>').format(s.id, s) for s in staff)
    team_options = Markup("").join(Markup('<option value="{}">{}</option>').format(t.id, t.name) for t in teams)
    held = current is not None and current.assignee_id is not None
    inner = Markup('<select name="assignee_id" class="form-control form-control-sm mr-1" aria-label="{}">'
                   '<option value="">{}</option>{}</select>'
                   '<select name="team_id" class="form-control form-control-sm mr-1" aria-label="{}">'
                   '<option value="">{}</option>{}</select>'
                   '<input name="reason" class="form-control form-control-sm mr-1" placeholder="{}">').format(
        pick("Assignee", "处理人"), pick("— assignee —", "— 处理人 —"), options, pick("Team", "班组"),
        pick("— team —", "— 班组 —"), team_options,
        pick("Reason (required to reassign)", "原因（改派必填）") if held else pick("Note", "备注"))
    return _form("assign", table, ident, back, inner, pick("Reassign", "改派") if held else pick("Assign", "指派"),
                 "btn-primary")


def _history(rows, estate_id) -> Markup:
    if not rows:
        return Markup("")
    head = Markup("<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>").format(
        pick("When", "时间"), pick("Holder", "处理人/班组"), pick("How", "方式"), pick("By", "派工人"), pick("Reason", "原因"))
    body = Markup("").join(Markup("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>").format(
        _when(estate_id, a.assigned_at), _holder(a), _mode(a.mode), a.assigned_by or pick("system", "系统"), a.reason)
        for a in reversed(rows))
    return Markup('<table class="table table-sm mb-2 wuye-assignment-history">{}{}</table>').format(head, body)


def _team_members(team: Team) -> Markup:
    rows = Markup("").join(Markup("<tr><td>{}</td><td>{}</td><td>{}</td></tr>").format(
        m.position, m.staff, pick("on duty", "在岗") if m.active else pick("off", "停派")) for m in team.members)
    return Markup('<div class="card mb-3 wuye-team-members"><div class="card-header">{}</div><div class="card-body">'
                  '<table class="table table-sm mb-0"><tr><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>'
                  '</div></div>').format(pick("Members", "班组成员"), pick("Order", "轮派顺序"), pick("Member", "成员"),
                                         pick("Status", "状态"), rows)


def record_section(view, record):
    """The assignment block of a record page (assignee, deadline, history, actions), or None."""
    if isinstance(record, Team):
        return _team_members(record)
    try:
        table, ident, estate_id = identity(record)
    except (TypeError, AttributeError):
        return None
    if not hasattr(type(record), "estate_id"):
        return None
    session, user = db(), actor()
    current, deadline = current_assignment(session, record), open_deadline(session, record)
    if current is None and deadline is None:
        return None
    back = url_for(f"{view.endpoint}.details_view", id=ident)
    facts = [(pick("Handled by", "处理人"), _holder(current))]
    if deadline is not None:
        due = _when(estate_id, deadline.due_at)
        if deadline.paused_at is not None:
            due += pick(" (paused: waiting for the owner)", "（暂停：等待业主）")
        facts.append((pick("Due", "到期"), due))
        done = levels_done(deadline)
        if done:
            facts.append((pick("Escalated", "已升级"), pick(f"level {done} of {len(chain_of(deadline))}: ",
                                                          f"第 {done}/{len(chain_of(deadline))} 级：")
                          + _role(deadline.escalate_to)))
    parts = [Markup('<dl class="row mb-2">')]
    parts += [Markup('<dt class="col-sm-3">{}</dt><dd class="col-sm-9">{}</dd>').format(k, v) for k, v in facts]
    parts.append(Markup("</dl>"))
    parts.append(_history(assignment_history(session, record), estate_id))
    if has_permission(session, user, "core.assignment.assign"):
        parts.append(_assign_form(table, ident, estate_id, back, current))
    if current is not None and current.is_offered and has_permission(session, user, "core.assignment.grab") and \
            session.scalar(select(TeamMember.id).where(TeamMember.team_id == current.team_id,
                                                       TeamMember.staff_id == user.id, TeamMember.active)):
        parts.append(_form("grab", table, ident, back, Markup(""), pick("Grab", "抢单"), "btn-success"))
    if current is not None and current.assignee_id is not None and current.assignee_id == user.id:
        parts.append(_form("release", table, ident, back, Markup(
            '<input name="reason" class="form-control form-control-sm mr-1" placeholder="{}">').format(
            pick("Why (optional)", "原因（可选）")), pick("Give back", "退回"), "btn-outline-secondary"))
    return Markup('<div class="card mb-3" id="assignment"><div class="card-header">{}</div>'
                  '<div class="card-body">{}</div></div>').format(pick("Assignment", "派工"), Markup("").join(parts))


def _int(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() else None


def _error_text(exc: WuyeError) -> str:
    if isinstance(exc, ValidationError) and isinstance(exc.errors, dict):
        return "; ".join(message_text(m) for messages in exc.errors.values()
                         for m in (messages if isinstance(messages, list) else [messages]))
    return message_text(exc.message)


class AssignmentActionsView(StaffPage, BaseView):
    """The POST targets of the assignment block's buttons (not in the menu)."""

    def __init__(self):
        super().__init__(name=Bilingual("Assignment actions", "派工操作"), endpoint=ENDPOINT,
                         url="/admin/assignment-actions")

    def is_visible(self) -> bool:
        return False

    @expose("/")
    def index(self):
        return redirect(url_for("admin.index"))

    def _run(self, table: str, ident: int, work, done: Bilingual):
        try:
            record = load_record(db(), actor(), table, ident)
        except NotFound:
            abort(404)
        back = request.form.get("back", "")
        if not back.startswith("/admin/") or "//" in back:
            back = url_for("admin.index")
        try:
            with db().begin_nested():
                work(record)
            db().commit()
        except WuyeError as exc:
            db().rollback()
            flash(_error_text(exc), "error")
            return redirect(back)
        flash(str(done), "success")
        return redirect(back)

    @expose("/<table>/<int:ident>/assign", methods=("POST",))
    def assign(self, table: str, ident: int):
        assignee, team = _int(request.form.get("assignee_id")), _int(request.form.get("team_id"))
        reason = (request.form.get("reason") or "")[:500]
        return self._run(table, ident, lambda r: assign(db(), r, assignee=assignee, team=team, actor=actor(),
                                                        reason=reason), Bilingual("Assigned.", "已派工。"))

    @expose("/<table>/<int:ident>/grab", methods=("POST",))
    def grab(self, table: str, ident: int):
        return self._run(table, ident, lambda r: grab(db(), r, actor()), Bilingual("It is yours.", "抢单成功。"))

    @expose("/<table>/<int:ident>/release", methods=("POST",))
    def release(self, table: str, ident: int):
        reason = (request.form.get("reason") or "")[:500]
        return self._run(table, ident, lambda r: release(db(), r, actor(), reason=reason),
                         Bilingual("Given back.", "已退回。"))


def _date(raw: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(raw) if raw else default
    except ValueError:
        flash(pick(f"'{raw}' is not a date (YYYY-MM-DD); showing the default period",
                   f"“{raw}”不是日期（年-月-日），已显示默认期间"), "error")
        return default


class BreachReportView(StaffPage, BaseView):
    """超时统计: deadlines held and breached per person and per team, over a period, in the reader's estates."""

    permission = "core.assignment.report"

    def __init__(self):
        super().__init__(name=Bilingual("Breach report", "超时统计"), endpoint="breaches", url="/admin/breaches",
                         category=Bilingual("Service desk", "客服中心"))

    @expose("/")
    def index(self):
        session, user = db(), actor()
        visible = visible_estate_ids(session, user)
        estates = list(session.scalars(select(Estate).order_by(Estate.name) if visible is None else
                                       select(Estate).where(Estate.id.in_(list(visible))).order_by(Estate.name)))
        chosen = _int(request.args.get("estate_id"))
        if chosen is not None and chosen not in {e.id for e in estates}:
            abort(404)  # another estate's numbers: as if it did not exist
        today = estate_today(session)
        until_day = _date(request.args.get("until"), today)
        since_day = _date(request.args.get("since"), until_day - dt.timedelta(days=30))
        if since_day > until_day:
            flash(pick("The period starts after it ends; the dates were swapped.", "开始日期晚于结束日期，已对调。"), "error")
            since_day, until_day = until_day, since_day
        # Days as the estate (or, for all of them, the company's time zone) reads them; the end day included.
        where = next((e for e in estates if e.id == chosen), None)
        since, until = day_bounds(where, since_day)[0], day_bounds(where, until_day)[1]
        scope = [chosen] if chosen is not None else visible
        report = breach_report(session, since=since, until=until, estate_ids=scope)
        t = {"title": pick("Breach report", "超时统计"), "since": pick("From", "起"), "until": pick("To", "止"),
             "estate": pick("Estate", "小区"), "all": pick("All my estates", "全部小区"), "show": pick("Show", "查询"),
             "people": pick("Per person", "按人员"), "teams": pick("Per team", "按班组"), "name": pick("Name", "名称"),
             "total": pick("Deadlines", "时限数"), "breached": pick("Breached", "超时数"), "rate": pick("Rate", "超时率"),
             "unassigned": pick("Unassigned", "未派工"), "none": pick("No deadlines in this period.", "该期间没有时限记录。"),
             "sum": pick(f"{report.breached} of {report.total} deadlines breached",
                         f"共 {report.total} 项时限，超时 {report.breached} 项")}
        return self.render("wuye/breaches.html", t=t, report=report, estates=estates, chosen=chosen,
                           since=since_day.isoformat(), until=until_day.isoformat())


def add_views(admin, app) -> None:
    """Add this feature's pages to the admin (called once by build_admin)."""
    admin.add_view(AssignmentActionsView())
    admin.add_view(BreachReportView())
