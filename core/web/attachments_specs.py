"""Attachments in the web layer: no generated screens of their own (files show on their record's page),
and the one access rule the admin pages and the API share.

An attachment is reached through its record: whoever may open the record's screen (its spec's
``view_permission``) in the record's estate may see and download its files; uploading and removing
need the spec's ``edit_permission``, and removing a colleague's file also
``core.attachments.remove_any``. A record outside the caller's estates is 404, as the record is.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from core.attachments import attachable_models
from core.web.specs import ApiResourceSpec


def admin_specs() -> list:
    return []


def api_specs() -> list:
    return []


@dataclass(frozen=True)
class AccessRule:
    """Who may see (``view``) and add or remove (``edit``; None: nobody) the files of ``model``'s records;
    ``endpoint`` is the admin screen of the model (for links back to the record), if any."""

    model: type
    view: str
    edit: str | None
    endpoint: str | None = None


def _admin_views():
    for admin in current_app.extensions.get("admin", ()):
        for view in getattr(admin, "_views", ()):
            spec = getattr(view, "spec", None)
            if spec is not None and getattr(view, "model", None) is not None:
                yield view, spec


def access_rules(api: bool = False) -> dict[type, AccessRule]:
    """``{model: AccessRule}`` for every attachable model with a screen (``api=True``: an API resource
    first, else its screen). Built once per app."""
    key = "wuye_attachment_rules_api" if api else "wuye_attachment_rules_admin"
    cached = current_app.extensions.get(key)
    if cached is not None:
        return cached
    attachable = set(attachable_models(current_app.extensions["wuye"]).values())
    rules: dict[type, AccessRule] = {}
    endpoints: dict[type, str] = {}
    for view, spec in _admin_views():
        if spec.model in attachable and spec.model not in rules:
            rules[spec.model] = AccessRule(spec.model, spec.view_permission, spec.edit_permission, view.endpoint)
            endpoints[spec.model] = view.endpoint
    if api:
        for spec in _api_specs():
            if spec.model in attachable:
                rules[spec.model] = AccessRule(spec.model, spec.view_permission, spec.edit_permission,
                                               endpoints.get(spec.model))
    current_app.extensions[key] = rules
    return rules


def _api_specs() -> list[ApiResourceSpec]:
    """The API resources mounted on this app (read from their routes' handlers: ``Resource.spec``)."""
    found: dict[str, ApiResourceSpec] = {}
    for fn in current_app.view_functions.values():
        spec = getattr(getattr(fn, "__self__", None), "spec", None)
        if isinstance(spec, ApiResourceSpec):
            found.setdefault(spec.path, spec)
    return list(found.values())


def api_resource_paths() -> dict[str, type]:
    """``{API path: model}`` of the attachable models with an API resource (``/api/v1/<path>/<id>/attachments``)."""
    cached = current_app.extensions.get("wuye_attachment_paths")
    if cached is None:
        attachable = set(attachable_models(current_app.extensions["wuye"]).values())
        cached = {spec.path: spec.model for spec in _api_specs() if spec.model in attachable}
        current_app.extensions["wuye_attachment_paths"] = cached
    return cached
