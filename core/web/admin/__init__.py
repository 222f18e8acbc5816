"""The staff admin (Flask-Admin), generated from :class:`~core.web.specs.AdminViewSpec` (DESIGN 9).

Menus are grouped per plugin (the plugin's title in the user's language), core first, then the
plugins in dependency order; screens within a menu are sorted by ``spec.order``.
"""

from __future__ import annotations

from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from core.errors import PluginError
from core.models import StaffUser
from core.web.admin import _compat  # noqa: F401  (before anything imports flask_admin.contrib.sqla)
from core.web.admin.base import WuyeModelView
from core.web.admin.home import HomeView
from core.web.admin.staff import RolesView, StaffSchema, StaffUserView
from core.web.admin.workplace import add_workplace
from core.web.context import RequestDB
from core.web.core_specs import PARTY_SENSITIVE, admin_specs
from core.web.i18n import Bilingual
from core.web.specs import PROPERTY_MENU, SERVICE_DESK_MENU, SETTINGS_MENU, AdminViewSpec

CORE_MENU = Bilingual(*PROPERTY_MENU)
STAFF_MENU = Bilingual(*SETTINGS_MENU)  # staff accounts and roles are settings an administrator keeps


def collect_views(wuye) -> list[tuple[str, AdminViewSpec]]:
    found = [("core", s) for s in admin_specs()]
    problems = []
    for plugin, items in wuye.call_each("wuye_admin_views"):
        for spec in items or ():
            if not isinstance(spec, AdminViewSpec):
                problems.append(f"plugin '{plugin}': wuye_admin_views returned {spec!r}; return AdminViewSpec objects")
            else:
                found.append((plugin, spec))
    seen: dict[str, str] = {}
    for plugin, spec in found:
        if spec.name in seen:
            problems.append(f"admin screen '{spec.name}' is declared by both '{seen[spec.name]}' and '{plugin}'")
        seen[spec.name] = plugin
    if problems:
        raise PluginError(problems)
    rank = {name: i for i, name in enumerate(["core", *wuye.order])}
    return sorted(found, key=lambda ps: (rank.get(ps[0], 10**6), ps[1].order, ps[1].name))


def _menu_rank(plugin_spec) -> int:
    """The top bar reads by task: the service desk first, then the plugins' menus, settings last."""
    menu = plugin_spec[1].menu
    return 0 if menu == SERVICE_DESK_MENU else 2 if menu == SETTINGS_MENU else 1


def make_view_class(wuye, plugin: str, spec: AdminViewSpec, base=WuyeModelView) -> type:
    sensitive = tuple(spec.sensitive_fields)
    if spec.model.__tablename__ == "core_parties":
        sensitive = tuple(dict.fromkeys(sensitive + PARTY_SENSITIVE))
    wf = wuye.registry.workflows.get(spec.workflow) if spec.workflow else None
    skip = {wf.state_field} if wf is not None else set()
    bases = (spec.view_mixin, base) if spec.view_mixin is not None else (base,)
    return type(f"{spec.name}_view", bases, {"spec": spec, "wuye": wuye, "plugin": plugin,
                                               "sensitive": sensitive, "form_skip": skip})


def build_admin(app: Flask, wuye) -> Admin:
    admin = Admin(app, name="Wuye 物业", url="/admin", endpoint="admin",
                  index_view=HomeView(name=Bilingual("Home", "首页"), url="/admin", endpoint="admin"),
                  theme=Bootstrap4Theme(base_template="wuye/admin_base.html", fluid=True))
    shim = RequestDB()
    for plugin, spec in sorted(collect_views(wuye), key=_menu_rank):  # stable: keeps the order within a menu
        if spec.menu is not None:
            category = Bilingual(*spec.menu)
        elif plugin == "core":
            category = CORE_MENU
        else:
            m = wuye.manifests[plugin]
            category = Bilingual(m.title, m.title_zh)
        cls = make_view_class(wuye, plugin, spec)
        admin.add_view(cls(shim, name=Bilingual(spec.label, spec.label_zh), category=category, endpoint=spec.name))
    staff_spec = AdminViewSpec(
        model=StaffUser, schema=StaffSchema, name="core_staff", label="Staff users", label_zh="员工账号",
        view_permission="core.staff.manage", edit_permission="core.staff.manage",
        list_columns=("username", "full_name", "employee_no", "roles", "estates", "active"),
        search_fields=("username", "full_name"), filters=("active",), order=90)
    staff_cls = make_view_class(wuye, "core", staff_spec, base=StaffUserView)
    admin.add_view(staff_cls(shim, name=Bilingual("Staff users", "员工账号"), category=STAFF_MENU, endpoint="core_staff"))
    admin.add_view(RolesView(name=Bilingual("Roles and permissions", "角色与权限"), category=STAFF_MENU,
                             endpoint="core_roles", url="/admin/roles"))
    add_workplace(admin)  # the search, unit and party pages (issue 15)
    from core.web.admin.dashboards import DashboardsView
    from core.web.admin.inbox import InboxView, badge

    admin.add_view(InboxView())
    admin.add_view(DashboardsView())
    app.jinja_env.globals["wuye_inbox_badge"] = badge  # the top bar's to-do count (wuye/_topbar_inbox.html)
    from core.web.admin import assignment, attachments, documents, intake, notifications

    for feature in (notifications, assignment, attachments, intake, documents):  # the front door (issue 17)
        feature.add_views(admin, app)
    from core.web.admin import queue  # the task queue's failed list (issue 21)

    queue.add_views(admin, app)
    return admin
