"""Admin pages of core notifications beyond the generated screens.

* ``/admin/notifications/``: 我的消息, the signed-in user's in-app messages, newest first, with
  "mark read" and "mark all read" (opening ``?id=N`` marks that one read);
* ``POST /admin/notifications/retry/<id>``: send a failed delivery again (``core.notifications.manage``,
  only deliveries of the user's estates);
* on the record pages of the two generated screens: a template's default wording (both languages)
  and a "retry now" button on a failed delivery.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_admin import BaseView, expose
from markupsafe import Markup
from sqlalchemy import select

from core.clock import estate_now
from core.errors import NotFound, ValidationError
from core.models.notification import DeliveryStatus, Notification, NotificationTemplate
from core.notifications.delivery import retry
from core.notifications.inbox import mark_read, messages, unread_count
from core.notifications.permissions import MANAGE
from core.notifications.registry import events
from core.notifications.templates import LANGUAGES, default_text
from core.scoping import get_scoped
from core.security.grants import has_permission
from core.web.admin.pages import StaffPage
from core.web.context import actor, db
from core.web.i18n import Bilingual, pick
from core.web.specs import SETTINGS_MENU

PAGE = 50


class MyMessagesView(StaffPage, BaseView):
    """我的消息: in-app notifications of the signed-in user."""

    def __init__(self):
        super().__init__(name=Bilingual("My messages", "我的消息"), endpoint="notifications",
                         url="/admin/notifications")

    def is_visible(self) -> bool:
        return False  # reached from the inbox (unread messages) and the top bar

    @expose("/")
    def index(self):
        session, user = db(), actor()
        opened = request.args.get("id", type=int)
        if opened:
            mark_read(session, user, [opened])
            session.commit()
        rows = messages(session, user, limit=PAGE)
        # shown in the estate's local time (the company's for messages of no estate)
        when = {r.id: estate_now(session, r.estate_id, now=r.created_at).strftime("%Y-%m-%d %H:%M") for r in rows}
        return self.render("wuye/notifications.html", rows=rows, when=when, unread=unread_count(session, user),
                           opened=opened)

    @expose("/read", methods=["POST"])
    def read(self):
        session, user = db(), actor()
        ids = [int(i) for i in request.form.getlist("id") if i.isdigit()]
        n = mark_read(session, user, ids if ids else None)
        session.commit()
        flash(pick(f"{n} message(s) marked read.", f"已将 {n} 条消息标为已读。"), "success")
        return redirect(url_for(".index"))

    @expose("/retry/<int:ident>", methods=["POST"])
    def retry_delivery(self, ident: int):
        session, user = db(), actor()
        if not has_permission(session, user, MANAGE):
            return self.inaccessible_callback("retry")
        try:
            row = get_scoped(session, user, Notification, ident)
            retry(session, row)
            session.commit()
            flash(pick("Queued again: the delivery job sends it within a minute.", "已重新排队，发送任务将在一分钟内发送。"),
                  "success")
        except (NotFound, ValidationError) as exc:
            session.rollback()
            flash(exc.message, "error")
        return redirect(url_for("core_notifications.details_view", id=ident))


class NotificationEventsView(StaffPage, BaseView):
    """通知事件: every event the enabled plugins notify about, its channels and default wording, so a
    company knows what to write templates for (``core.notifications.manage``)."""

    permission = MANAGE

    def __init__(self, category=None):
        super().__init__(name=Bilingual("Notification events", "通知事件"), endpoint="notification_events",
                         url="/admin/notification-events", category=category)

    @expose("/")
    def index(self):
        company = {(t.event, t.language, t.channel) for t in db().scalars(select(NotificationTemplate).where(
            NotificationTemplate.active.is_(True)))}
        rows = []
        for name, event in sorted(events(db()).items()):
            rows.append({"name": name, "label": pick(event.label, event.label_zh),
                         "channels": ", ".join(event.channels),
                         "texts": [(lang, *default_text(event, lang),
                                    any(k[0] == name and k[1] == lang for k in company)) for lang in LANGUAGES]})
        return self.render("wuye/notification_events.html", rows=rows)


def add_views(admin, app) -> None:
    """Add this feature's pages to the admin (called once by build_admin)."""
    admin.add_view(MyMessagesView())
    admin.add_view(NotificationEventsView(category=Bilingual(*SETTINGS_MENU)))  # 系统设置, by value


def _preview(template: NotificationTemplate) -> Markup | None:
    event = events(db()).get(template.event)
    if event is None:
        return None
    parts = [Markup('<div class="card mb-3 wuye-notification-defaults"><div class="card-header">{}</div>'
                    '<div class="card-body">').format(pick("The event's default wording", "事件默认文本"))]
    for language in LANGUAGES:
        subject, body = default_text(event, language)
        parts.append(Markup('<p class="mb-1"><strong>{}</strong> {}</p><pre class="mb-3">{}</pre>').format(
            language, subject, body))
    parts.append(Markup("</div></div>"))
    return Markup("").join(parts)


def _retry_button(row: Notification) -> Markup | None:
    if row.status != DeliveryStatus.failed or not has_permission(db(), actor(), MANAGE):
        return None
    from flask_wtf.csrf import generate_csrf

    return Markup('<form method="post" action="{}" class="mb-3 wuye-notification-retry">'
                  '<input type="hidden" name="csrf_token" value="{}">'
                  '<button class="btn btn-warning" type="submit">{}</button></form>').format(
        url_for("notifications.retry_delivery", ident=row.id), generate_csrf(), pick("Retry now", "立即重发"))


def record_section(view, record):
    """HTML (Markup) this feature adds to every generated record page (details and edit), or None."""
    if isinstance(record, NotificationTemplate):
        return _preview(record)
    if isinstance(record, Notification):
        return _retry_button(record)
    return None



