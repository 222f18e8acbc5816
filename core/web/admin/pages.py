"""Access rules shared by the staff pages that are not generated model screens (home, inbox,
dashboards, search, the unit's and the party's page)."""

from __future__ import annotations

from flask import abort, redirect, request, url_for

from core.security.grants import has_permission
from core.web.context import actor, db


class StaffPage:
    """A page for any logged-in staff user, or only holders of ``permission`` when it is set.

    Someone not logged in is sent to the login page and comes back after; a user without the
    permission gets 403. Mix it in before Flask-Admin's ``BaseView`` / ``AdminIndexView``.
    """

    permission = ""

    def is_accessible(self) -> bool:
        user = actor()
        return user is not None and (not self.permission or has_permission(db(), user, self.permission))

    def inaccessible_callback(self, name, **kwargs):
        if actor() is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return abort(403)
