"""API authentication: a personal bearer token, or the staff session cookie plus its CSRF token."""

from __future__ import annotations

from flask import g, request
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError as WtfValidationError

from core.web import tokens
from core.web.api.errors import json_error
from core.web.context import actor, db, load_session_actor, set_actor

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def authenticate():
    """Before each API request: set the actor or answer 401 (the OpenAPI document is public)."""
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return json_error(401, "use 'Authorization: Bearer <token>'; create a token with `wuye tokens create`")
        user = tokens.authenticate(db(), token.strip())
        if user is None:
            return json_error(401, "the token is unknown, expired or revoked")
        set_actor(user)
        g.api_auth = "token"
        return None
    load_session_actor()
    if actor() is None:
        return json_error(401, "log in or send 'Authorization: Bearer <token>'")
    g.api_auth = "session"
    if request.method not in SAFE_METHODS:
        # A browser session must prove the request came from our pages (the API is CSRF-exempt for tokens).
        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except WtfValidationError:
            return json_error(400, "with a session cookie, send the CSRF token in the X-CSRFToken header")
    return None
