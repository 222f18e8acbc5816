"""Uniform JSON errors: ``{"error": {"status": 422, "message": ..., "field": ..., "errors": {...}}}``."""

from __future__ import annotations

from flask import jsonify

from core.errors import WuyeError

REASONS = {400: "bad request", 401: "authentication required", 403: "forbidden", 404: "not found",
           405: "method not allowed", 409: "conflict", 413: "request too large", 415: "unsupported media type",
           422: "invalid input", 429: "too many requests", 500: "internal error"}


def json_error(status: int, message: str | None = None, *, field: str | None = None, errors: dict | None = None):
    body = {"status": status, "message": message or REASONS.get(status, "error"), "field": field}
    if errors:
        body["errors"] = errors
    response = jsonify({"error": body})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="wuye"'
    return response


def from_wuye_error(exc: WuyeError):
    status = exc.http_status if 400 <= exc.http_status < 600 else 400
    return json_error(status, exc.message, field=exc.field, errors=getattr(exc, "errors", None))
