"""Staff login, logout, password change and the language switcher (DESIGN 8).

Passwords are checked with argon2 (``core.security.passwords``); failed logins are rate limited
per username and address and per address (``core.security.ratelimit``); every form carries a CSRF token.
Logout and password changes end the user's sessions (``core.web.context.session_stamp``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask import session as cookie
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from core.models import StaffUser
from core.security import ratelimit
from core.security.passwords import MIN_LENGTH, hash_password, verify_password
from core.services.staff import change_password, end_sessions
from core.web.context import actor, db, keep_changes, session_stamp, set_actor, start_session
from core.web.i18n import LANGUAGE_NAMES, LOCALES, gettext, lazy_gettext

bp = Blueprint("auth", __name__)

# Verified against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = hash_password("not-a-real-password")


class LoginForm(FlaskForm):
    username = StringField(lazy_gettext("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired(), Length(max=256)])
    next = HiddenField()


class PasswordForm(FlaskForm):
    current = PasswordField(lazy_gettext("Current password"), validators=[DataRequired(), Length(max=256)])
    new = PasswordField(lazy_gettext("New password"), validators=[DataRequired(), Length(min=MIN_LENGTH, max=256)])
    confirm = PasswordField(lazy_gettext("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("new", message=lazy_gettext("The passwords differ."))])


class LocaleForm(FlaskForm):
    locale = SelectField(choices=[(k, LANGUAGE_NAMES[k]) for k in LOCALES])
    next = HiddenField()


def safe_next(target: str | None, default: str) -> str:
    """Only same-site relative paths are followed after login (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def client_ip() -> str:
    return (request.remote_addr or "")[:64]


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    error, status, headers = None, 200, {}
    if form.validate_on_submit():
        username = form.username.data.strip()
        ip = client_ip()
        locked = ratelimit.lockout(db(), username, ip)
        if locked is not None:
            error, status = _lockout_message(locked), 429
            headers["Retry-After"] = str(locked.seconds_left())
        else:
            user = db().scalar(select(StaffUser).where(StaffUser.username == username))
            ok = verify_password(user.password_hash if user else _DUMMY_HASH, form.password.data)
            if ok and user is not None and user.active:
                ratelimit.clear(db(), username, ip)
                start_session(user)
                return redirect(safe_next(form.next.data, url_for("admin.index")))
            ratelimit.record_failure(db(), username, ip)
            keep_changes()  # the failure must be committed although the response is a 401
            error, status = gettext("Wrong username or password."), 401
    elif request.method == "POST" and not form.errors.get("csrf_token"):
        error, status = gettext("Enter your username and password."), 400
    elif request.method == "POST":
        error, status = gettext("The form has expired. Please try again."), 400
    return render_template("wuye/login.html", form=form, error=error), status, headers


def _lockout_message(locked: ratelimit.Lockout) -> str:
    if locked.scope == "address":
        return gettext("Too many failed logins from your network address, for any username. Logins from it "
                       "are locked for %(minutes)s more minutes.", minutes=locked.minutes_left())
    return gettext("Too many failed logins. Wait 15 minutes and try again.")


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session: every session cookie of this user issued so far is refused from now on
    (in every browser: a per-user session generation, see ``core.web.context.session_stamp``)."""
    user = actor()
    if user is not None:
        end_sessions(db(), user)
    cookie.clear()
    set_actor(None)
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
def password():
    user = actor()
    if user is None:
        return redirect(url_for("auth.login", next=request.path))
    form = PasswordForm()
    done = False
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current.data):
            form.current.errors.append(gettext("The current password is wrong."))
        else:
            change_password(db(), user, form.new.data)  # ends every session of the user ...
            cookie["pwv"] = session_stamp(user)  # ... but this one, whose cookie gets the new stamp
            done = True
    status = 400 if request.method == "POST" and not done else 200
    return render_template("wuye/password.html", form=form, done=done), status


@bp.route("/locale", methods=["POST"])
def set_locale():
    form = LocaleForm()
    if not form.validate_on_submit():
        abort(400)
    cookie["locale"] = form.locale.data
    user = actor()
    if user is not None:
        user.locale = form.locale.data
    return redirect(safe_next(form.next.data, url_for("admin.index")))


def _locale_form() -> LocaleForm:
    from core.web.i18n import current_locale

    form = LocaleForm(formdata=None)
    form.locale.data = current_locale()
    form.next.data = request.full_path.rstrip("?")
    return form


def register(app) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def _inject():
        from core.web.i18n import current_locale

        return {"wuye_actor": actor(), "wuye_locale": current_locale(), "wuye_locales": LANGUAGE_NAMES,
                "locale_form": _locale_form}
