"""Workflow buttons on record pages and bulk transitions in lists (DESIGN 7, 9).

Each button POSTs (with the CSRF token) to ``transition/``, which runs ``core.workflow.apply``;
the engine checks the transition's permission and guards. Bulk transitions are list actions that
apply the transition to each selected record separately, reporting which ones failed.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_admin import expose
from markupsafe import Markup

from core.errors import WuyeError
from core.security.grants import has_permission
from core.web.context import actor, db
from core.web.i18n import Bilingual, gettext
from core.web.integration import apply_transition
from core.web.labels import message_text

ACTION_PREFIX = "transition__"


class TransitionsMixin:
    """Mixed into the hardened model view."""

    @expose("/transition/", methods=("POST",))
    def transition_view(self):
        wf = self.workflow
        if wf is None:
            abort(404)
        record = self.get_one(request.form.get("id"))
        if record is None:
            abort(404)
        name = request.form.get("transition", "")
        comment = (request.form.get("comment") or "").strip()[:2000] or None
        details = self.get_url(".details_view", id=record.id)
        if name not in {t.name for t in wf.transitions}:
            flash(gettext("Unknown action."), "error")
            return redirect(details)
        if wf.transition(name).requires_comment and not comment:
            t = wf.transition(name)
            flash(gettext("“%(action)s” needs a comment saying why.",
                          action=str(Bilingual(t.label or t.name, t.label_zh))), "error")
            return redirect(details)
        try:
            with db().begin_nested():
                apply_transition(db(), record, name, actor(), comment=comment)
            db().commit()
        except WuyeError as exc:
            db().rollback()
            flash(message_text(exc.message), "error")
            return redirect(details)
        t = wf.transition(name)
        flash(gettext("Done: %(action)s.", action=str(Bilingual(t.label or t.name, t.label_zh))), "success")
        return redirect(details)

    def _add_transition_actions(self) -> None:
        wf = self.workflow
        if wf is None:
            return
        for t in wf.transitions:
            if not t.bulk or t.requires_comment:
                continue
            action = ACTION_PREFIX + t.name
            text = Bilingual(t.label or t.name, t.label_zh)
            confirm = Bilingual(f"Apply '{t.label or t.name}' to the selected records?",
                                f"确定对所选记录执行“{t.label_zh or t.label or t.name}”?")
            self._actions.append((action, text))
            self._actions_data[action] = (self._bulk_handler(t.name), text, confirm)

    def _bulk_handler(self, name: str):
        def handler(ids):
            done, failed = 0, []
            for ident in ids[:500]:
                record = self.get_one(ident)
                if record is None:
                    failed.append(f"#{ident}: " + gettext("not found"))
                    continue
                try:
                    with db().begin_nested():
                        apply_transition(db(), record, name, actor())
                    done += 1
                except WuyeError as exc:
                    failed.append(f"#{ident}: {message_text(exc.message)}")
            db().commit()
            if done:
                flash(gettext("%(n)s record(s) done.", n=done), "success")
            if failed:
                flash(Markup("<br>").join([gettext("Not done:"), *failed[:20]]), "error")
            return None

        return handler

    def is_action_allowed(self, name: str) -> bool:
        if name.startswith(ACTION_PREFIX):
            wf = self.workflow
            perm = next((t.permission for t in wf.transitions if ACTION_PREFIX + t.name == name), None) if wf else None
            return perm is not None and has_permission(db(), actor(), perm)
        return super().is_action_allowed(name)
