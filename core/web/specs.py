"""What plugins declare for the generated admin screens and API (no Flask imported here).

A plugin returns :class:`AdminViewSpec` from ``wuye_admin_views`` and :class:`ApiResourceSpec`
from ``wuye_api_resources``; the generic layer in ``core.web`` builds hardened views from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class AdminViewSpec:
    """One admin screen over ``model``.

    ``schema`` (a marshmallow Schema class) validates create/edit exactly as the API does.
    ``view_permission`` / ``edit_permission`` gate the screen; ``workflow`` names the workflow whose
    buttons and status bar to show. ``lookups`` maps relation fields to ajax lookups
    (``{"unit_id": "unit"}``). Screens are grouped in a menu per plugin and sorted by ``order``.
    """

    model: type
    schema: type
    name: str  # endpoint-safe id, e.g. "keys_loans"
    label: str
    label_zh: str
    view_permission: str
    edit_permission: str | None = None
    list_columns: tuple[str, ...] = ()
    search_fields: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    sensitive_fields: tuple[str, ...] = ()
    lookups: dict[str, str] = field(default_factory=dict)
    workflow: str | None = None
    can_create: bool = True
    can_edit: bool = True
    can_delete: bool = False  # business records are corrected, never deleted
    order: int = 100
    create_service: object | None = None  # optional callable(session, actor, data) -> record
    # Optional column labels in both languages: {"unit_id": ("Unit", "房屋")}; otherwise the schema
    # field's metadata "label"/"label_zh", else core's translated name of the column.
    column_labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The menu the screen sits in, (en, zh); None: the plugin's own menu (core: "Property / 房产资料").
    # Core's front-door screens use the shared menus below so a clerk finds them by task, not by module.
    menu: tuple[str, str] | None = None
    # Optional mixin class put before the hardened base view: extra ``@expose`` pages of the screen (or an
    # ``index_view`` of its own), e.g. billing's cashier desk. Its pages inherit the screen's permissions.
    view_mixin: type | None = None


# Shared menus for screens that belong to a task rather than to one plugin (AdminViewSpec.menu).
SERVICE_DESK_MENU = ("Service desk", "客服中心")
SETTINGS_MENU = ("Settings", "系统设置")
PROPERTY_MENU = ("Property", "房产资料")  # core's estates, buildings, units and people; owner archives join it


@dataclass(frozen=True, kw_only=True)
class ApiResourceSpec:
    """One REST resource under ``/api/v1/<path>`` over ``model``, validated by ``schema``.

    ``filters`` are the query parameters accepted for filtering lists (``?status=lent``).
    Transitions of ``workflow`` are exposed as ``POST /api/v1/<path>/<id>/transitions/<name>``.
    """

    model: type
    schema: type
    path: str
    view_permission: str
    edit_permission: str | None = None
    filters: tuple[str, ...] = ()
    workflow: str | None = None
    can_create: bool = True
    can_update: bool = True
    create_service: object | None = None  # optional callable(session, actor, data) -> record
    update_service: object | None = None  # optional callable(session, actor, record, data) -> record
    # Fields shown masked (phone, ID-card numbers) to users without core.parties.view_sensitive.
    sensitive_fields: tuple[str, ...] = ()
    # Filters that are not columns of ``model``: name -> (callable(raw query string) -> SQL clause, raising
    # ValueError with the message for bad input; OpenAPI schema of the parameter). E.g. staff by role.
    filter_clauses: dict[str, tuple[object, dict]] = field(default_factory=dict)
    # Many-to-one relationships the schema reads (``Unit.label`` reads ``building``), loaded in the
    # record's own query by a join instead of one more query per record.
    eager: tuple[str, ...] = ()
