"""Uniform JSON errors: ``{"error": {"status": 422, "message": ..., "field": ..., "code": ..., "errors": {...}}}``.

``message`` and ``errors`` are always English (a ``core.Text`` gives its English text); ``code`` names the
error class (``ValidationError``, ``ConfirmationRequired``...).
"""

from __future__ import annotations

from flask import current_app, has_request_context, jsonify, request
from werkzeug.exceptions import MethodNotAllowed

from core.errors import WuyeError, english

REASONS = {400: "bad request", 401: "authentication required", 403: "forbidden", 404: "not found",
           405: "method not allowed", 409: "conflict", 413: "request too large", 415: "unsupported media type",
           422: "invalid input", 429: "too many requests", 500: "internal error"}


def json_error(status: int, message: str | None = None, *, field: str | None = None, errors: dict | None = None,
               code: str | None = None):
    body = {"status": status, "message": message or REASONS.get(status, "error"), "field": field}
    if code:
        body["code"] = code  # the error class, e.g. "ConfirmationRequired": resend with "confirm": true
    if errors:
        body["errors"] = errors
    response = jsonify({"error": body})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="wuye"'
    if status == 405 and has_request_context():
        allowed = _allowed_methods()
        if allowed:
            response.headers["Allow"] = ", ".join(allowed)
    return response


def _allowed_methods() -> list[str]:
    """The methods the requested URL answers to (RFC 9110: a 405 carries ``Allow``)."""
    if isinstance(request.routing_exception, MethodNotAllowed) and request.routing_exception.valid_methods:
        return sorted(request.routing_exception.valid_methods)
    try:
        return sorted(current_app.create_url_adapter(request).allowed_methods())
    except Exception:  # noqa: BLE001 - a header is a courtesy; never turn an error into a 500
        return []


def from_wuye_error(exc: WuyeError):
    status = exc.http_status if 400 <= exc.http_status < 600 else 400
    body = exc.to_dict()
    return json_error(status, english(exc.message), field=exc.field, errors=body.get("errors"), code=body["code"])
