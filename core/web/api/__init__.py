"""The JSON API under ``/api/v1/`` (DESIGN 10), generated from :class:`~core.web.specs.ApiResourceSpec`.

Core's resources (estates, buildings, units, parties) come first, then each enabled plugin's, in
dependency order. A plugin may also return a Flask ``Blueprint``; it is mounted under ``/api/v1``.
"""

from __future__ import annotations

import logging
import re

from flask import Blueprint, Flask, jsonify

from core.errors import PluginError
from core.web.api.auth import authenticate
from core.web.api.dashboards import dashboards_api
from core.web.api.openapi import build_openapi
from core.web.api.resources import Resource
from core.web.api.workplace import workplace_api
from core.web.specs import AdminViewSpec, ApiResourceSpec

log = logging.getLogger(__name__)
PATH_RE = re.compile(r"^[a-z][a-z0-9_-]*(/[a-z][a-z0-9_-]*)*$")


def collect_resources(wuye) -> list[tuple[str, ApiResourceSpec]]:
    """(plugin, spec) for core and every enabled plugin, duplicates and bad paths reported together."""
    from core.web.core_specs import api_specs

    found: list[tuple[str, ApiResourceSpec]] = [("core", s) for s in api_specs()]
    problems = []
    for plugin, items in wuye.call_each("wuye_api_resources"):
        for item in items or ():
            if isinstance(item, ApiResourceSpec | Blueprint):
                found.append((plugin, item))
            else:
                problems.append(f"plugin '{plugin}': wuye_api_resources returned {item!r}; "
                                "return ApiResourceSpec objects or Blueprints")
    seen: dict[str, str] = {}
    for plugin, spec in found:
        if isinstance(spec, Blueprint):
            continue
        if not PATH_RE.match(spec.path):
            problems.append(f"plugin '{plugin}': API path '{spec.path}' must be lowercase words separated by '/'")
        elif spec.path in seen:
            problems.append(f"API path '{spec.path}' is declared by both '{seen[spec.path]}' and '{plugin}'")
        seen[spec.path] = plugin
    if problems:
        raise PluginError(problems)
    return found


def _sensitive_by_model(wuye) -> dict[type, tuple[str, ...]]:
    """Sensitive fields the admin specs declare, applied to API resources over the same model."""
    from core.web.core_specs import admin_specs

    out: dict[type, tuple[str, ...]] = {}
    specs = [("core", s) for s in admin_specs()] + [
        (p, s) for p, items in wuye.call_each("wuye_admin_views") for s in (items or ())]
    for _plugin, spec in specs:
        if isinstance(spec, AdminViewSpec) and spec.sensitive_fields:
            out[spec.model] = tuple(dict.fromkeys(out.get(spec.model, ()) + spec.sensitive_fields))
    return out


def build_api(app: Flask, wuye) -> Blueprint:
    bp = Blueprint("api", __name__, url_prefix="/api/v1")
    bp.before_request(authenticate)
    resources = collect_resources(wuye)
    sensitive = _sensitive_by_model(wuye)
    specs = []
    for plugin, spec in resources:
        if isinstance(spec, Blueprint):
            bp.register_blueprint(spec)
            continue
        res = Resource(spec, sensitive=sensitive.get(spec.model, ()))
        specs.append((plugin, spec, res.sensitive))
        base = f"/{spec.path}"
        ep = spec.path.replace("/", "__").replace("-", "_")
        bp.add_url_rule(base, f"{ep}_list", res.list, methods=["GET"])
        bp.add_url_rule(f"{base}/<int:ident>", f"{ep}_get", res.get, methods=["GET"])
        if spec.can_create:
            bp.add_url_rule(base, f"{ep}_create", res.create, methods=["POST"])
        if spec.can_update:
            bp.add_url_rule(f"{base}/<int:ident>", f"{ep}_update", res.update, methods=["PATCH"])
        if spec.workflow:
            # one documented path per transition (each with its own body schema); unknown names are 404
            bp.add_url_rule(f"{base}/<int:ident>/transitions/<name>", f"{ep}_transition", res.transition,
                            methods=["POST"])

    bp.register_blueprint(workplace_api())  # search and the unit/party overviews (issue 15)
    bp.register_blueprint(dashboards_api())  # the inbox and the dashboards (issue 15)
    from core.web.api import assignment, attachments, documents, intake, notifications

    for feature in (notifications, assignment, attachments, intake, documents):  # the front door (issue 17)
        extra = feature.blueprint()
        if extra is not None:
            bp.register_blueprint(extra)
    document = build_openapi(wuye, specs)

    @bp.route("/openapi.json")
    def openapi():
        return jsonify(document)

    app.register_blueprint(bp)
    return bp
