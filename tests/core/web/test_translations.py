"""The translation meta-test: every generated screen of every enabled plugin speaks both languages.

It walks every admin screen (AdminViewSpec), workflow, permission and role of the all-plugins
instance and fails, naming plugin / screen / field and the fix, on: a label without a Chinese
translation, an enum value or OneOf choice without a label, a workflow state or transition without
``label_zh``, a permission or role without ``label_zh``. Then it renders each screen's list and
create page in zh_CN and fails on raw codes left on the page (an enum value shown as option text).
See docs/writing-plugins.md, "Labels, money and confirmation".
"""

from __future__ import annotations

import enum
import html
import json
import re

import pytest
from flask import session as flask_session
from flask_babel import refresh
from marshmallow import fields as mf
from sqlalchemy import Enum as SaEnum

from core.web.admin.base import WuyeModelView
from core.web.admin.forms import input_fields
from core.web.labels import choice_labels, choices_of, enum_value_label
from tests.core.web.zh_client import client_of_everything

LATIN = re.compile(r"[A-Za-z]{2,}")
FIX_LABEL = ('give the field metadata={"label": ..., "label_zh": ...} in the schema, or '
             'AdminViewSpec(column_labels={name: (en, zh)})')
FIX_ENUM = 'give the enum class __labels__ = {value: ("English", "中文"), ...}'
FIX_CHOICE = 'give the field metadata={"labels": {value: ("English", "中文"), ...}}'


def _views(app) -> list[WuyeModelView]:
    admin = app.extensions["admin"][0]
    return [v for v in admin._views if isinstance(v, WuyeModelView)]


def _in(app, locale: str):
    ctx = app.test_request_context("/admin/")
    ctx.push()
    flask_session["locale"] = locale
    refresh()
    return ctx


def _untranslated(en: str, zh: str) -> bool:
    return not zh.strip() or (zh == en and bool(LATIN.search(zh)))


def _labels(app, view, names) -> dict[str, tuple[str, str]]:
    out = {}
    for locale in ("en", "zh_CN"):
        ctx = _in(app, locale)
        try:
            for n in names:
                out.setdefault(n, ["", ""])[locale == "zh_CN"] = str(view.label_for(n))
        finally:
            ctx.pop()
    return {k: tuple(v) for k, v in out.items()}


def _where(view) -> str:
    return f"plugin {view.plugin!r}, screen {view.spec.name!r}"


def test_every_column_filter_and_form_label_has_chinese(app):
    problems = []
    for view in _views(app):
        names = {*view.column_list, *view.column_details_list, *view.spec.filters,
                 *input_fields(view.spec.schema, view.form_skip)}
        for name, (en, zh) in sorted(_labels(app, view, names).items()):
            if _untranslated(en, zh):
                problems.append(f"{_where(view)}, field {name!r}: label {en!r} has no Chinese; {FIX_LABEL}")
    assert not problems, f"{len(problems)} labels without Chinese:\n" + "\n".join(problems)


def _enum_classes(view) -> dict[str, type]:
    """field name -> enum class, from the schema (Enum, List(Enum)) and the model's Enum columns."""
    out = {}
    for name, f in view.spec.schema().fields.items():
        inner = f.inner if isinstance(f, mf.List) else f
        if isinstance(inner, mf.Enum):
            out[name] = inner.enum
    for col in view.spec.model.__table__.columns:
        if isinstance(col.type, SaEnum) and col.type.enum_class is not None:
            out.setdefault(col.key, col.type.enum_class)
    return out


def test_every_enum_value_and_choice_has_a_label(app):
    problems = []
    for view in _views(app):
        wf = view.workflow
        for name, cls in _enum_classes(view).items():
            if wf is not None and name == wf.state_field:
                continue  # the workflow's states label these (checked below)
            for member in cls:
                label = enum_value_label(cls, member.value)
                if label is None or _untranslated(label.en, label.zh):
                    problems.append(f"{_where(view)}, field {name!r}: {cls.__module__}.{cls.__name__} value "
                                    f"{member.value!r} has no (en, zh) label; {FIX_ENUM}")
        for name, f in view.spec.schema().fields.items():
            choices = choices_of(f)
            if not choices:
                continue
            labels = choice_labels(f, name)
            for c in choices:
                label = labels.get(c)
                if label is None or _untranslated(getattr(label, "en", str(c)), getattr(label, "zh", "")):
                    problems.append(f"{_where(view)}, field {name!r}: choice {c!r} has no (en, zh) label; "
                                    f"{FIX_CHOICE}")
    assert not problems, f"{len(problems)} values shown as raw codes:\n" + "\n".join(problems)


def test_every_workflow_state_and_transition_has_chinese(wuye):
    problems = []
    for name, wf in sorted(wuye.registry.workflows.items()):
        owner = wuye.registry.workflow_owner.get(name, "?")
        if _untranslated(wf.label or wf.name, wf.label_zh):
            problems.append(f"plugin {owner!r}, workflow {name!r}: give Workflow(label_zh=...)")
        for s in wf.states:
            if _untranslated(s.label or s.name, s.label_zh):
                problems.append(f"plugin {owner!r}, workflow {name!r}, state {s.name!r}: give State(label_zh=...)")
        for t in wf.transitions:
            if _untranslated(t.label or t.name, t.label_zh):
                problems.append(f"plugin {owner!r}, workflow {name!r}, transition {t.name!r}: "
                                "give Transition(label=..., label_zh=...)")
    assert not problems, f"{len(problems)} workflow names without Chinese:\n" + "\n".join(problems)


def test_every_permission_and_role_has_chinese(wuye):
    problems = []
    for name, perm in sorted(wuye.registry.permissions.items()):
        if _untranslated(perm.label or perm.name, getattr(perm, "label_zh", "")):
            owner = wuye.registry.permission_owner.get(name, "?")
            problems.append(f"plugin {owner!r}, permission {name!r}: give Permission(..., label_zh=...)")
    for name, role in sorted(wuye.registry.roles.items()):
        if _untranslated(getattr(role, "label", name) or name, getattr(role, "label_zh", "")):
            problems.append(f"role {name!r}: give RoleDef(..., label_zh=...)")
    assert not problems, f"{len(problems)} permissions/roles without Chinese:\n" + "\n".join(problems)


# --- rendered pages ------------------------------------------------------------------------------
OPTION = re.compile(r'<option[^>]*value="([^"]*)"[^>]*>\s*([^<]*?)\s*</option>', re.S)
LABEL = re.compile(r'<label[^>]*for="([^"]+)"[^>]*>\s*([^<]*?)\s*(?:\*\s*)?</label>', re.S)
CELL = re.compile(r'<td class="col-([\w-]+)"[^>]*>\s*([^<]*?)\s*</td>', re.S)
# Flask-Admin's own English that must not be left on a Chinese page
ADMIN_ENGLISH = ("Add Filter", "Save and Add Another", "Save and Continue Editing", "With selected",
                 "Reset Filters", ">List<", ">Create<", ">Export<", ">Apply<", "Delete selected records",
                 "Please select at least one record")


@pytest.fixture
def zh_admin(app, world, factory, wuye):
    """A client of a zh_CN user holding every permission in every estate."""
    return client_of_everything(app, factory, wuye, "meta_zh")


def _codes(view) -> set[str]:
    codes = set()
    for cls in _enum_classes(view).values():
        codes.update(str(m.value) for m in cls)
    for f in view.spec.schema().fields.values():
        codes.update(str(c) for c in choices_of(f) or ())
    if view.workflow is not None:
        codes.update(s.name for s in view.workflow.states)
    return {c for c in codes if re.search(r"[a-z]", c)}


def test_zh_pages_show_no_raw_codes_nor_flask_admin_english(app, zh_admin):
    problems = []
    for view in _views(app):
        codes = _codes(view)
        for page in ("", "new/"):
            r = zh_admin.get(f"/admin/{view.spec.name}/{page}")
            if r.status_code != 200:
                continue
            text = r.get_data(as_text=True)
            where = f"{_where(view)}, page /admin/{view.spec.name}/{page}"
            for value, shown in OPTION.findall(text):
                shown = html.unescape(shown)
                if value and shown == value and shown in codes:
                    problems.append(f"{where}: option {value!r} shows the raw code; {FIX_ENUM} / {FIX_CHOICE}")
            for col, shown in CELL.findall(text):
                if html.unescape(shown) in codes:
                    problems.append(f"{where}: column {col!r} shows the raw code {shown!r}; {FIX_ENUM}")
            groups = re.search(r'<div id="filter-groups-data"[^>]*>(.*?)</div>', text, re.S)
            for flt_label, flts in (json.loads(html.unescape(groups.group(1))) if groups else {}).items():
                if LATIN.search(flt_label) and flt_label in {str(view.label_for(n)) for n in view.spec.filters}:
                    problems.append(f"{where}: filter {flt_label!r} has no Chinese label; {FIX_LABEL}")
                for flt in flts:
                    for value, shown in flt.get("options") or ():
                        if str(value) == str(shown) and str(shown) in codes:
                            problems.append(f"{where}: filter {flt_label!r} option {value!r} shows the raw code; "
                                            f"{FIX_ENUM} / {FIX_CHOICE}")
            for field, shown in LABEL.findall(text):
                shown = html.unescape(shown).strip()
                if LATIN.search(shown) and field not in ("csrf_token",):
                    problems.append(f"{where}: form field {field!r} is labelled {shown!r} in English; {FIX_LABEL}")
            for english in ADMIN_ENGLISH:
                if english in text:
                    problems.append(f"{where}: Flask-Admin's {english!r} is untranslated (core/translations)")
    assert not problems, f"{len(problems)} raw codes or English on Chinese pages:\n" + "\n".join(sorted(set(problems)))


def test_enum_labels_are_not_members():
    """``__labels__`` on an enum is a dunder: not a member, so the values and the API are unchanged."""
    from core.models.property import UnitStatus

    assert "__labels__" not in UnitStatus.__members__
    assert [m.value for m in UnitStatus][:2] == ["not_delivered", "notified"]
    assert enum_value_label(UnitStatus, "vacant").zh == "空置"
    assert isinstance(UnitStatus.vacant, enum.Enum)
