"""API of the return_visits plugin under ``/api/v1/return-visits/...``.

Generated resources: ``rules`` (create, update), ``visits`` and ``ratings`` (read). A blueprint adds
the actions: ``POST visits/<id>/record`` (``{"satisfaction": "unsatisfied", "comments": "..."}``),
``POST visits/<id>/unreachable``, ``GET statistics?since=&until=&estate_id=`` and the owner's link
``GET/POST rate/<token>`` (under /api/v1 it needs a signed-in caller: the owner portal; a public page
needs a core hook, see docs/plugins/return_visits.md).
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, jsonify, request
from marshmallow import ValidationError as SchemaError

from core import (
    ApiResourceSpec,
    NotFound,
    ValidationError,
    WuyeError,
    get_scoped,
    request_actor,
    request_session,
    utcnow,
)
from plugins.return_visits import generation, ratings, statistics, visiting
from plugins.return_visits.models import ReturnVisit, Satisfaction, SatisfactionRating, VisitRule
from plugins.return_visits.schemas import (
    RecordVisitSchema,
    ReturnVisitSchema,
    SatisfactionRatingSchema,
    VisitRuleSchema,
)


def create_rule(session, actor, data: dict):
    """Schema data to ``generation.create_rule`` (the admin screen uses it too)."""
    return generation.create_rule(session, actor, **data)


def _db():
    """The request's session, shared with core's request handling (closed at the request's end)."""
    return request_session()


def _error(exc: WuyeError):
    _db().rollback()
    errors = getattr(exc, "errors", None)
    body = {"error": str(exc) if errors is None else "invalid input", "status": exc.http_status}
    if errors is not None:
        body["errors"] = {k: [str(m) for m in v] for k, v in errors.items()}
    return jsonify(body), exc.http_status


def _body(schema) -> dict:
    raw = request.get_json(silent=True)
    if raw is not None and not isinstance(raw, dict):
        raise ValidationError("send a JSON object")
    try:
        return schema().load(raw or {})
    except SchemaError as exc:
        raise ValidationError(exc.messages_dict) from None


def _time(name: str) -> dt.datetime:
    raw = request.args.get(name, "")
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: ["give an ISO date-time with its offset, e.g. 2026-03-01T00:00:00+08:00"]}) \
            from None
    if value.tzinfo is None:
        raise ValidationError({name: ["give the time with its offset (+08:00 or Z)"]})
    return value


def _visit(ident: int) -> ReturnVisit:
    if not 0 < ident < 2**31:
        raise NotFound(f"no return visit with id {ident}")
    return get_scoped(_db(), request_actor(), ReturnVisit, ident)


def _call(fn):
    def wrapper(*args, **kwargs):
        try:
            out = fn(*args, **kwargs)
            _db().commit()
            return out
        except WuyeError as exc:
            return _error(exc)

    wrapper.__name__ = fn.__name__
    return wrapper


@_call
def record(ident: int):
    data = _body(RecordVisitSchema)
    visit = visiting.record_visit(_db(), request_actor(), _visit(ident), data["satisfaction"],
                                  data["comments"], data["method"], utcnow())
    return ReturnVisitSchema().dump(visit)


@_call
def unreachable(ident: int):
    visit = visiting.record_unreachable(_db(), request_actor(), _visit(ident), utcnow())
    return ReturnVisitSchema().dump(visit)


@_call
def stats():
    estate = request.args.get("estate_id")
    if estate is not None and not estate.isdigit():
        raise ValidationError({"estate_id": ["give the estate's id (a number)"]})
    out = statistics.satisfaction_stats(_db(), request_actor(), _time("since"), _time("until"),
                                        int(estate) if estate else None)
    return {"by_estate": {str(k): v for k, v in out["by_estate"].items()},
            "by_person": {str(k): v for k, v in out["by_person"].items()}, "total": out["total"]}


@_call
def rate(token: str):
    session, now = _db(), utcnow()
    if request.method == "GET":
        payload = ratings.read_token(session, token, now, secret=current_app.secret_key)
        return {"source": payload["s"], "record_id": payload["r"],
                "scale": [{"value": k, "label": en, "label_zh": zh}
                          for k, (en, zh) in Satisfaction.__labels__.items()]}
    data = request.get_json(silent=True) or {}
    rating = ratings.rate_by_token(session, token, data.get("satisfaction"), str(data.get("comment") or ""), now=now,
                                   secret=current_app.secret_key)
    return SatisfactionRatingSchema().dump(rating), 201


def blueprint() -> Blueprint:
    bp = Blueprint("return_visits_api", __name__, url_prefix="/return-visits")
    bp.add_url_rule("/visits/<int:ident>/record", view_func=record, methods=["POST"])
    bp.add_url_rule("/visits/<int:ident>/unreachable", view_func=unreachable, methods=["POST"])
    bp.add_url_rule("/statistics", view_func=stats, methods=["GET"])
    bp.add_url_rule("/rate/<token>", view_func=rate, methods=["GET", "POST"])
    return bp


def api_resources() -> list:
    """The generated resources and the actions blueprint (``wuye_api_resources``)."""
    return [
        ApiResourceSpec(model=VisitRule, schema=VisitRuleSchema, path="return-visits/rules",
                        view_permission="return_visits.view", edit_permission="return_visits.manage_rules",
                        filters=("estate_id", "source", "active"), create_service=create_rule),
        ApiResourceSpec(model=ReturnVisit, schema=ReturnVisitSchema, path="return-visits/visits",
                        view_permission="return_visits.view", filters=("estate_id", "status", "source"),
                        workflow="return_visits.visit",
                        can_create=False, can_update=False, sensitive_fields=("phone",)),
        ApiResourceSpec(model=SatisfactionRating, schema=SatisfactionRatingSchema, path="return-visits/ratings",
                        view_permission="return_visits.view", filters=("estate_id", "source", "channel"),
                        can_create=False, can_update=False),
        blueprint(),
    ]
