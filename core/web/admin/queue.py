"""The task queue's admin page (任务队列): the failed list (dead letters) with "retry", and the latest tasks.

``/admin/tasks/`` lists the tasks that failed every attempt, newest first, with their error;
``?show=all`` the latest tasks of any status. ``POST /admin/tasks/retry/<id>`` queues a failed (or
lost) task again with its attempts reset. Tasks are system work of every estate, so the page is
for holders of ``core.staff.manage`` (the system administrators).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from sqlalchemy import func, select

from core.clock import estate_now
from core.errors import ValidationError
from core.models.queue import TaskRun, TaskStatus
from core.web.admin.pages import StaffPage
from core.web.context import db, wuye
from core.web.i18n import Bilingual, pick
from core.web.specs import SETTINGS_MENU

PAGE = 100
MANAGE = "core.staff.manage"


class TaskQueueView(StaffPage, BaseView):
    """任务队列: failed tasks with "retry", and the latest tasks."""

    permission = MANAGE

    def __init__(self, category=None):
        super().__init__(name=Bilingual("Background tasks", "后台任务"), endpoint="task_queue", url="/admin/tasks",
                         category=category)

    @expose("/")
    def index(self):
        from core.queue import queue_enabled

        session = db()
        show = "all" if request.args.get("show") == "all" else "failed"
        q = select(TaskRun).order_by(TaskRun.id.desc()).limit(PAGE)
        if show == "failed":
            q = q.where(TaskRun.status == TaskStatus.failed)
        rows = [{"id": r.id, "name": r.name, "params": r.params, "status": r.status.value,
                 "status_label": pick(*TaskStatus.__labels__[r.status.value]), "attempts": r.attempts,
                 "max_attempts": r.max_attempts, "error": (r.error or "")[:2000],
                 "created": estate_now(session, None, now=r.created_at).strftime("%Y-%m-%d %H:%M"),
                 "retryable": r.status in (TaskStatus.failed, TaskStatus.lost)}
                for r in session.scalars(q)]
        failed_count = session.scalar(select(func.count()).select_from(TaskRun)
                                      .where(TaskRun.status == TaskStatus.failed))
        return self.render("wuye/task_queue.html", rows=rows, show=show, failed_count=failed_count,
                           queue_on=queue_enabled(wuye()))

    @expose("/retry/<int:ident>", methods=["POST"])
    def retry(self, ident: int):
        from flask import current_app

        from core.queue import retry_task
        from core.queue.attempts import SessionSource

        try:  # the app's sessions: without a broker the task runs here, now
            retry_task(SessionSource(wuye(), current_app.extensions["wuye_sessions"]), ident)
            flash(pick(f"Task #{ident} queued again.", f"任务 #{ident} 已重新排队。"), "success")
        except ValidationError as exc:
            flash(exc.message, "error")
        return redirect(url_for(".index"))


def add_views(admin, app) -> None:
    """Add the page (called once by build_admin); its template ships with core.queue."""
    app.register_blueprint(Blueprint("wuye_queue_templates", "core.queue", template_folder="templates"))
    admin.add_view(TaskQueueView(category=Bilingual(*SETTINGS_MENU)))
