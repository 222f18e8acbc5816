"""The owner's rating page (满意度评价), reached by the link in an SMS or the owner portal, no login:
``/p/return_visits/rate/<token>`` (core mounts ``wuye_public_pages`` Blueprints under ``/p/<plugin>/``).

The signed, expiring, single-use token is the owner's only credential: it names the one record to
rate, and a used, expired or forged link gets a plain page saying so (4xx), nothing written.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from core import request_session, utcnow
from plugins.return_visits import ratings
from plugins.return_visits.models import Satisfaction


def _scale() -> list[tuple[str, str]]:
    return [(value, zh) for value, (_en, zh) in Satisfaction.__labels__.items()]


def rate_page(token: str):
    session, now = request_session(), utcnow()
    ratings.read_token(session, token, now, secret=current_app.secret_key)  # a bad link: the error page
    if request.method == "GET":
        return render_template("return_visits/rate.html", scale=_scale(), done=False)
    ratings.rate_by_token(session, token, request.form.get("satisfaction"), request.form.get("comment", ""),
                          now=now, secret=current_app.secret_key)
    return render_template("return_visits/rate.html", scale=_scale(), done=True), 201


def public_blueprint() -> Blueprint:
    bp = Blueprint("rating", __name__, template_folder="templates")
    bp.add_url_rule("/rate/<token>", view_func=rate_page, methods=["GET", "POST"])
    return bp
