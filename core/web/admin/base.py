"""The one hardened Flask-Admin view every generated screen uses (DESIGN 9, 15).

Security is fixed here once: the view permission is checked on every request (403 when logged in
without it, login redirect otherwise), the edit permission on every write, estate scoping in
``get_query``, ``get_count_query``, ``get_one``, ajax lookups and exports, and every form is a
FlaskForm carrying a CSRF token. Lists never count the whole table and pages are bounded.
"""

from __future__ import annotations

import logging
import re

from flask import abort, flash, g, has_request_context, redirect, request, url_for
from flask_admin.contrib.sqla import ModelView  # core.web.admin patched Flask-Admin first
from flask_admin.contrib.sqla import filters as sqla_filters
from flask_admin.model.fields import AjaxSelectField
from flask_wtf import FlaskForm
from marshmallow import fields as mf
from sqlalchemy import Enum as SaEnum
from sqlalchemy import false, func, select

from core.db import UTCDateTime
from core.errors import ConfirmationRequired, NotFound, ValidationError, WuyeError
from core.security.grants import has_permission
from core.security.masking import VIEW_SENSITIVE
from core.web import records
from core.web.admin import forms as wforms
from core.web.admin.display import DisplayMixin
from core.web.admin.lookups import make_loader
from core.web.admin.record_page import RecordPageMixin
from core.web.admin.search import apply_search, list_loads
from core.web.admin.transitions import TransitionsMixin
from core.web.context import actor, db
from core.web.i18n import Bilingual, gettext
from core.web.integration import get_scoped, scope
from core.web.labels import choices_of, message_text

log = logging.getLogger(__name__)
MAX_ROWS_DEEP = 10_000  # list pages beyond this offset are refused: narrow the search instead
WRITE_VIEWS = {"create_view", "edit_view", "delete_view", "ajax_update"}
FIELD_PREFIX = re.compile(r"^([a-z_][a-z0-9_]*)\s*[:：]\s*")  # "amount_fen: ..." names a field in a message
AUTO_LOOKUPS = {"core_units": "unit", "core_parties": "party", "core_buildings": "building",
                "core_estates": "estate", "core_staff_users": "staff"}


class WuyeModelView(TransitionsMixin, DisplayMixin, RecordPageMixin, ModelView):
    """Base of generated screens; subclasses are made per spec by :func:`make_view_class`."""

    spec = None  # AdminViewSpec
    wuye = None
    plugin = "core"
    sensitive: tuple[str, ...] = ()
    form_skip: set[str] = set()

    list_template = "wuye/model/list.html"
    details_template = "wuye/model/details.html"
    edit_template = "wuye/model/edit.html"
    create_template = "wuye/model/create.html"
    form_base_class = FlaskForm
    can_view_details = True
    can_export = True
    export_types = ["csv", "xlsx"]
    export_max_rows = 5000
    simple_list_pager = True  # no count(*) over the whole table on every page
    page_size = 25
    can_set_page_size = True
    page_size_options = (25, 50, 100)
    column_display_pk = False
    named_filter_urls = True

    def __init__(self, db_shim, *, name, category, endpoint):
        spec = self.spec
        self.loaders = self._make_loaders()
        self.form_ajax_refs = dict(self.loaders)
        cols = spec.model.__table__.columns
        schema_fields = list(spec.schema().fields)
        self.column_list = list(spec.list_columns) or [c for c in schema_fields if c in cols][:8]
        self.column_details_list = [c for c in schema_fields if c in cols or hasattr(spec.model, c)]
        self.column_export_list = list(dict.fromkeys(["id", *self.column_details_list]))
        self.column_sortable_list = [c for c in self.column_list if c in cols]
        self.column_searchable_list = list(spec.search_fields)
        self._list_loads = list_loads(spec.model, self.column_list)
        self.column_default_sort = ("id", True)
        self.column_labels = {c: self.label_for(c) for c in {*self.column_export_list, *self.column_list,
                                                            *spec.filters, *spec.search_fields}}
        fmt = {c: self._formatter for c in {*self.column_export_list, *self.column_list}}
        self.column_formatters = fmt
        self.column_formatters_export = dict(fmt)
        self.column_filters = [self._filter_for(f) for f in spec.filters]
        super().__init__(spec.model, db_shim, name=name, category=category, endpoint=endpoint)
        self._add_transition_actions()

    # --- lookups and filters --------------------------------------------------------------
    def _make_loaders(self) -> dict:
        model = self.spec.model
        lookups = dict(self.spec.lookups)
        for col in model.__table__.columns:
            for fk in col.foreign_keys:
                kind = AUTO_LOOKUPS.get(fk.column.table.name)
                if kind and col.key not in lookups:
                    lookups[col.key] = kind
        fields = wforms.input_fields(self.spec.schema)
        out = {}
        for name, kind in lookups.items():
            if name not in fields:
                continue
            target = None
            col = model.__table__.columns.get(name)
            if col is not None and col.foreign_keys:
                target = self.wuye.registry.models.get(next(iter(col.foreign_keys)).column.table.name)
            out[name] = make_loader(name, kind, target)
        return out

    def _filter_for(self, name: str):
        model = self.spec.model
        column = getattr(model, name)
        label = self.label_for(name)
        wf = self.workflow
        if wf is not None and name == wf.state_field:
            options = [(s.name, Bilingual(s.label or s.name, s.label_zh)) for s in wf.states]
            return sqla_filters.FilterEqual(column, label, options=options)
        sa_type = model.__table__.columns[name].type if name in model.__table__.columns else None
        if isinstance(sa_type, SaEnum) and sa_type.enum_class is not None:
            options = [(m.value, self.enum_label(m)) for m in sa_type.enum_class]
            return sqla_filters.FilterEqual(column, label, options=options)
        field = self._schema_fields().get(name)
        choices = choices_of(field) if field is not None and sa_type is not None else None
        if choices and not isinstance(field, mf.List):  # a OneOf string: pick among its labelled choices
            options = [(c, self.enum_label(c, name)) for c in choices if c != ""]
            return sqla_filters.FilterEqual(column, label, options=options)
        if name == "estate_id":
            from core.models import Estate

            def estates():
                if not has_request_context() or actor() is None:
                    return []
                stmt = scope(select(Estate).order_by(Estate.code), actor(), Estate)
                return [(e.id, str(e)) for e in db().scalars(stmt)]

            return sqla_filters.FilterEqual(column, label, options=estates)
        return name

    def get_filters(self):
        # Scaffold each filter on its own: a column type Flask-Admin cannot filter (a plugin's custom
        # type) gets a between-filter when it is a time, else is left out with a warning, never a crash.
        out = []
        for n in self.column_filters or ():
            if self.is_valid_filter(n):
                out.append(self.handle_filter(n))
                continue
            found = self.scaffold_filters(n)
            if found:
                out.extend(found)
                continue
            column = getattr(self.model, n)
            if isinstance(getattr(column, "type", None), UTCDateTime):
                label = self.label_for(n)
                out.extend(self.handle_filter(f(column, label)) for f in (sqla_filters.DateTimeGreaterFilter,
                                                                          sqla_filters.DateTimeSmallerFilter))
            else:
                log.warning("admin screen %s: no filter for column %s of type %s", self.spec.name, n, column.type)
        return out or None

    # --- permissions ----------------------------------------------------------------------
    def is_accessible(self) -> bool:
        user = actor()
        return user is not None and has_permission(db(), user, self.spec.view_permission)

    def may_edit(self) -> bool:
        perm = self.spec.edit_permission
        return bool(perm) and has_permission(db(), actor(), perm)

    def inaccessible_callback(self, name, **kwargs):
        if actor() is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return abort(403)

    def _handle_view(self, name, **kwargs):
        response = super()._handle_view(name, **kwargs)
        if response is not None:
            return response
        if name in WRITE_VIEWS and not self.may_edit():
            return abort(403)
        return None

    @property
    def can_create(self):  # type: ignore[override]
        return self.spec.can_create and self._may_edit_now()

    @property
    def can_edit(self):  # type: ignore[override]
        return self.spec.can_edit and self._may_edit_now()

    @property
    def can_delete(self):  # type: ignore[override]
        return False  # business records are corrected, never deleted

    def _may_edit_now(self) -> bool:
        return not has_request_context() or (actor() is not None and self.may_edit())

    # --- scoped queries -------------------------------------------------------------------
    def get_query(self):
        query = db().query(self.model).options(*self._list_loads)
        return scope(query, actor(), self.model)

    def get_count_query(self):
        return scope(db().query(func.count(self.model.id)), actor(), self.model)

    def get_one(self, id):
        try:
            ident = int(id)
        except (TypeError, ValueError):
            return None
        if not (0 < ident < 2**31):
            return None
        try:
            return get_scoped(db(), actor(), self.model, ident)
        except NotFound:
            return None

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        size = page_size or self.page_size
        if page and size and page * size > MAX_ROWS_DEEP:
            flash(gettext("Only the first %(n)s rows can be paged through; narrow the search or filters.",
                          n=MAX_ROWS_DEEP), "warning")
            page = MAX_ROWS_DEEP // size
        return super().get_list(page, sort_column, sort_desc, search, filters, execute=execute,
                                page_size=page_size)

    def _apply_search(self, query, count_query, joins, count_joins, search):
        # Prefix match on lower(field), which an index can serve (core.web.admin.search). A masked field
        # is searched only for users who may see it: prefix probes would otherwise reveal the number.
        fields = self.spec.search_fields
        if self.sensitive and not has_permission(db(), actor(), VIEW_SENSITIVE):
            fields = tuple(f for f in fields if f not in self.sensitive)
        if not fields:
            return query.filter(false()), (count_query.filter(false()) if count_query is not None else None), \
                joins, count_joins
        query, count_query = apply_search(self.model, fields, query, count_query, search)
        return query, count_query, joins, count_joins

    def get_safe_page_size(self, page_size):
        return page_size if page_size in self.page_size_options else self.page_size

    # --- forms ----------------------------------------------------------------------------
    def scaffold_form(self):
        return wforms.build_form_class(self, edit=False)

    def get_create_form(self):
        return wforms.build_form_class(self, edit=False)

    def get_edit_form(self):
        return wforms.build_form_class(self, edit=True)

    def edit_form(self, obj=None):
        form = super().edit_form(obj=None) if request.method == "POST" else self._edit_form_class(None)
        if request.method != "POST" and obj is not None:
            wforms.prefill(self, form, obj)
        return form

    def create_form(self, obj=None):
        form = super().create_form(obj=None)
        if request.method != "POST":
            wforms.prefill_from_args(self, form, request.args)
        return form

    def render(self, template, **kwargs):
        form = kwargs.get("form")
        if form is not None and wforms.CONFIRM in form and not g.get("wuye_confirm"):
            del form[wforms.CONFIRM]  # asked for only after the service raised ConfirmationRequired
        if form is not None:
            for field in form:  # a label fixed as plain English when the form class was built: translate it now
                text = field.label.text
                if type(text) is str and text:
                    field.label.text = gettext(text)
        return super().render(template, **kwargs)

    def _save(self, form, record=None):
        edit = record is not None
        raw, errors = wforms.form_to_raw(self, form, edit=edit)
        try:
            if errors:
                raise ValidationError(errors)
            data = records.load(self.spec.schema, raw, partial=edit)
            if edit:
                record = records.update_record(db(), self.wuye, actor(), record, data=data,
                                               workflow=self.spec.workflow)
            else:
                record = records.create_record(db(), self.wuye, actor(), model=self.model, data=data,
                                               create_service=self.spec.create_service,
                                               workflow=self.spec.workflow)
            db().commit()
            return record
        except ValidationError as exc:
            self._show_errors(form, exc.errors)
        except ConfirmationRequired as exc:
            db().rollback()
            self._ask_confirmation(form, exc)
            return None
        except WuyeError as exc:
            named, text = self._unprefixed(message_text(exc.message))
            if exc.field and exc.field in form and exc.field != wforms.CONFIRM:
                form[exc.field].errors = list(form[exc.field].errors or []) + [text]  # also next to its field
            flash(self._labelled(named, text) if named else text, "error")
        db().rollback()
        return None

    def _ask_confirmation(self, form, exc) -> None:
        """Show the service's question and the confirmation box; the resubmission sends confirm=True."""
        text = message_text(exc.message)
        if wforms.CONFIRM in form:
            g.wuye_confirm = text
            form[wforms.CONFIRM].data = False
            form[wforms.CONFIRM].description = text
            form[wforms.CONFIRM].errors = [gettext("Tick the box to confirm, then save again.")]
        flash(text, "warning")

    def _unprefixed(self, message: str) -> tuple[str | None, str]:
        """``"amount_fen: must be positive"`` -> ``("amount_fen", "must be positive")`` for a field of the schema."""
        m = FIELD_PREFIX.match(message)
        if m and (m.group(1) in self._schema_fields() or m.group(1) in self.spec.model.__table__.columns):
            return m.group(1), message[m.end():]
        return None, message

    def _labelled(self, key: str, message: str) -> str:
        return f"{self.label_for(key)}：{message}" if self._zh() else f"{self.label_for(key)}: {message}"

    def _show_errors(self, form, errors: dict) -> None:
        general = []
        for key, messages in errors.items():
            msgs = messages if isinstance(messages, list) else [messages]
            msgs = [self._unprefixed(message_text(m)) for m in msgs]
            if key in form and not isinstance(form[key], type(None)) and key != wforms.CONFIRM:
                # under the field: a message naming the field again ("amount: ...") drops the raw name
                form[key].errors = list(form[key].errors or []) + [m for _named, m in msgs]
            elif key == "_schema":
                general.extend(self._labelled(named, m) if named else m for named, m in msgs)
            else:  # a field the form does not show: its label, never the raw name
                general.extend(self._labelled(key, m) for _named, m in msgs)
        flash(gettext("Please correct the marked fields."), "error")
        for m in general:
            flash(m, "error")

    def create_model(self, form):
        return self._save(form) or False

    def update_model(self, form, model):
        return self._save(form, model) is not None

    def get_save_return_url(self, model, is_created=False):
        return self.get_url(".details_view", id=model.id)

    def is_ajax_field(self, field) -> bool:
        return isinstance(field, AjaxSelectField)

    def _get_filter_groups(self):
        # Flask-Admin caches filter options at start-up; ours depend on the user (their estates)
        # and the language, so they are rebuilt per request.
        if not self._filters:
            return None
        groups: dict = {}
        for i, flt in enumerate(self._filters):
            options = flt.options() if callable(flt.options) else flt.options
            groups.setdefault(str(flt.name), []).append({
                "index": i, "arg": self.get_filter_arg(i, flt), "operation": str(flt.operation()),
                "options": [(k, str(v)) for k, v in options] if options else None, "type": flt.data_type})
        return groups
