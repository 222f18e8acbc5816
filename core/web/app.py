"""The Flask app factory: staff admin under ``/admin/``, JSON API under ``/api/v1/``, login at ``/login``."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import secrets
from pathlib import Path

from flask import Flask, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from core.errors import ConfigError, DatabaseError, WuyeError
from core.web import context
from core.web.i18n import gettext, init_babel, lazy_gettext

log = logging.getLogger(__name__)
CORE_DIR = Path(__file__).resolve().parent.parent
MAX_REQUEST_BYTES = 1024 * 1024  # 1 MiB: larger requests get 413


def _check_migrations(wuye) -> None:
    from core import migrate

    behind = [row for row in migrate.status(wuye) if row["current"] != row["head"]]
    if behind:
        names = ", ".join(f"{r['lineage']} (at {r['current'] or 'base'}, head {r['head']})" for r in behind)
        raise DatabaseError(f"the database is behind: {names}; run `wuye db upgrade` before serving")


@functools.cache
def _warn_untrusted_proxy() -> None:
    log.warning("requests carry X-Forwarded-For but [core] trusted_proxies is 0: Wuye sees the proxy's address "
                "as every client's, so the login rate limit per address locks out everyone at once; set "
                "trusted_proxies to the number of reverse proxies in front of Wuye (README: serving behind TLS)")


def create_app(wuye, *, testing: bool = False, session_factory=None) -> Flask:
    """Build the web app for a booted ``wuye`` instance.

    Refuses to start when a migration lineage is behind its head (unless ``testing``) or when no
    secret key is configured (``WUYE_SECRET_KEY``; a random one is made when ``testing``).
    ``session_factory`` replaces ``wuye.sessions`` (tests bind requests to a rolled-back connection).
    The session cookie is ``Secure`` unless ``[core] secure_cookies = false`` (also when ``testing``:
    the test client sends it over plain HTTP anyway, and browsers do on 127.0.0.1 and localhost).
    """
    if not testing:
        _check_migrations(wuye)
    secret = wuye.config.secret_key
    if not secret:
        if not testing:
            raise ConfigError("no secret key: set the environment variable WUYE_SECRET_KEY (or [core] secret_key "
                              "in the config) to a long random string before `wuye serve`")
        secret = secrets.token_hex(32)

    app = Flask("core", root_path=str(CORE_DIR), template_folder="templates", static_folder="static",
                static_url_path="/static")
    app.config.update(
        SECRET_KEY=secret,
        TESTING=testing,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_REQUEST_BYTES,
        SESSION_COOKIE_NAME="wuye_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=wuye.config.secure_cookies,  # [core] secure_cookies, default true
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=12 * 3600,
        WTF_CSRF_SSL_STRICT=False,  # the Referer check breaks behind TLS-terminating proxies; tokens suffice
        JSON_SORT_KEYS=False,
        FLASK_ADMIN_FLUID_LAYOUT=True,
    )
    app.extensions["wuye"] = wuye
    app.extensions["wuye_sessions"] = session_factory or wuye.sessions
    if wuye.config.trusted_proxies:
        # Client address, scheme and host as the reverse proxies saw them (rate limits need the address).
        n = wuye.config.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)
    app.config["WUYE_CONFIG"] = wuye.config

    init_babel(app)
    csrf = CSRFProtect(app)

    @app.before_request
    def _load_actor():
        if not wuye.config.trusted_proxies and "X-Forwarded-For" in request.headers:
            _warn_untrusted_proxy()
        if request.endpoint == "static" or request.path.startswith("/api/"):
            return None
        context.load_session_actor()
        return None

    app.after_request(context.finish)
    app.teardown_request(context.teardown)

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    from core.web import auth

    auth.register(app)

    from core.web.api import build_api

    build_api(app, wuye)
    # The API checks its own way (a personal token, or the staff session with X-CSRFToken). Flask-WTF
    # exempts blueprint by blueprint, so the ones mounted inside /api/v1 (search, inbox, the front
    # door's routes) are exempted one by one: "api" and every "api.<child>".
    for name, blueprint in app.blueprints.items():
        if name == "api" or name.startswith("api."):
            csrf.exempt(blueprint)

    from core.web.admin import build_admin

    build_admin(app, wuye)
    _mount_public_pages(app, wuye)

    @app.route("/")
    def _root():
        return redirect(url_for("admin.index"))

    _register_error_pages(app)
    return app


def _secure_cookie_dropped(exc: CSRFError) -> bool:
    """A form came back over plain HTTP without the session cookie, which is Secure: the browser dropped
    it (every login then fails its CSRF check), as browsers do over HTTP anywhere but on localhost."""
    from flask import current_app

    config = current_app.config
    return (config["SESSION_COOKIE_SECURE"] and not request.is_secure
            and config["SESSION_COOKIE_NAME"] not in request.cookies
            and "session token is missing" in (exc.description or ""))


def _mount_public_pages(app: Flask, wuye) -> None:
    """Each plugin's ``wuye_public_pages`` Blueprints under ``/p/<plugin>/``: no login, no actor."""
    from flask import Blueprint

    from core.errors import PluginError

    problems = []
    for plugin, blueprints in wuye.call_each("wuye_public_pages"):
        for bp in blueprints or ():
            if not isinstance(bp, Blueprint):
                problems.append(f"plugin '{plugin}': wuye_public_pages returned {bp!r}; return flask.Blueprint objects")
                continue
            app.register_blueprint(bp, url_prefix=f"/p/{plugin}{bp.url_prefix or ''}", name=f"public_{plugin}_{bp.name}")
    if problems:
        raise PluginError(problems)


def _register_error_pages(app: Flask) -> None:
    messages = {
        400: lazy_gettext("The request could not be understood."),
        403: lazy_gettext("You do not have permission to open this page."),
        404: lazy_gettext("This page does not exist, or it is not one you may see."),
        405: lazy_gettext("This action is not allowed here."),
        413: lazy_gettext("The request is too large."),
        429: lazy_gettext("Too many requests. Wait a moment and try again."),
        500: lazy_gettext("Something went wrong on our side. The error was logged."),
    }

    def page(status: int, message: str | None = None):
        text = message or str(messages.get(status) or gettext("Something went wrong."))
        return render_template("wuye/error.html", status=status, message=text), status

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        if request.path.startswith("/api/"):
            from core.web.api.errors import json_error

            return json_error(400, exc.description)
        if _secure_cookie_dropped(exc):
            return page(400, gettext(
                "Your browser did not send the session cookie back: it is marked Secure (HTTPS only) and this "
                "page was opened over plain HTTP, so you cannot log in. Open Wuye over HTTPS, or, on a trusted "
                "network only, set secure_cookies = false in the [core] section of the configuration."))
        return page(400, gettext("The form has expired or was not sent from this site (missing CSRF token). "
                                 "Go back, reload the page and try again."))

    @app.errorhandler(WuyeError)
    def _wuye_error(exc: WuyeError):
        # A plugin's own view or Blueprint raised a business error (core's views catch their own):
        # nothing it wrote is kept, and the user reads the message with its status, never a 500.
        context.db().rollback()
        if request.path.startswith("/api/"):
            from core.web.api.errors import from_wuye_error

            return from_wuye_error(exc)
        status = exc.http_status if 400 <= exc.http_status < 600 else 400
        return page(status, str(exc.message))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if request.path.startswith("/api/"):
            from core.web.api.errors import json_error

            return json_error(exc.code or 500, exc.description)
        return page(exc.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        if request.path.startswith("/api/"):
            from core.web.api.errors import json_error

            return json_error(500, "internal error; it was logged")
        return page(500)
