"""How generated screens show values: labels in both languages, masked and related values, money,
local times, and the CSV/XLSX export of what the list shows (a mixin of ``WuyeModelView``)."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import zoneinfo

from flask import Response, abort
from flask_admin import expose
from sqlalchemy import inspect
from sqlalchemy.orm import RelationshipProperty
from werkzeug.utils import secure_filename

from core.web.context import actor, db
from core.web.i18n import Bilingual, column_label, gettext, lazy_gettext, prettify
from core.web.integration import masked
from core.web.labels import ESTATE_KIND, MoneyLabel, choice_labels, enum_value_label, format_yuan, is_money


class DisplayMixin:
    """Labels, cell values and exports; expects ``spec``, ``wuye`` and ``sensitive`` on the view."""

    # --- labels and display ---------------------------------------------------------------
    def label_for(self, name: str, *, form: bool = False):
        """A field's label: the spec's column_labels, the schema field's label/label_zh, core's catalogue.

        Money (``*_fen``) drops "fen"/"分" from the label; on forms it reads "Amount (¥)" / "金额（元）".
        """
        label = self._plain_label(name)
        if is_money(name):
            return MoneyLabel(label, form=form)
        return label

    def _plain_label(self, name: str):
        if name in self.spec.column_labels:
            return column_label(name, self.spec.column_labels)
        field = self._schema_fields().get(name)
        if field is not None and (field.metadata.get("label") or field.metadata.get("label_zh")):
            return Bilingual(field.metadata.get("label") or prettify(name), field.metadata.get("label_zh", ""))
        if is_money(name):
            return column_label(name[: -len("_fen")])
        return column_label(name)

    def _schema_fields(self) -> dict:
        cached = self.__dict__.get("_wuye_schema_fields")
        if cached is None:
            cached = self.__dict__["_wuye_schema_fields"] = dict(self.spec.schema().fields)
        return cached

    def enum_label(self, member, field: str | None = None):
        """An enum value's or choice's label: workflow state, the enum's ``__labels__``, the field's ``labels``."""
        value = member.value if isinstance(member, enum.Enum) else member
        wf = self.workflow
        if wf is not None and (field is None or field == wf.state_field):
            for state in wf.states:
                if state.name == value:
                    return Bilingual(state.label or state.name, state.label_zh)
        if isinstance(member, enum.Enum):
            found = enum_value_label(type(member), value)
            if found is not None:
                return found
        if field is not None:
            schema_field = self._schema_fields().get(field)
            if schema_field is not None:
                found = choice_labels(schema_field, field).get(value)
                if found is not None:
                    return found
                enum_cls = getattr(schema_field, "enum", None)
                if enum_cls is not None and enum_value_label(enum_cls, value) is not None:
                    return enum_value_label(enum_cls, value)
        return lazy_gettext(prettify(str(value)))

    @property
    def workflow(self):
        return self.wuye.registry.workflows.get(self.spec.workflow) if self.spec.workflow else None

    def display(self, record, name: str):
        value = getattr(record, name, None)
        if value is None or value == "":
            return ""
        if name in self.sensitive:
            kind = "phone" if "phone" in name else "id_number"
            return masked(db(), actor(), value, kind)
        return self.value_text(name, value, record)

    def value_text(self, name: str, value, record=None):
        """How a field's value reads on screens, exports and the activity history (not masking)."""
        if value is None or value == "":
            return ""
        wf = self.workflow
        if isinstance(value, enum.Enum) or (wf is not None and name == wf.state_field):
            return str(self.enum_label(value, name))
        if name == "kind" and self.spec.model.__tablename__ == "core_estates" and value in ESTATE_KIND:
            return str(ESTATE_KIND[value])
        if name.endswith("_id") and isinstance(value, int) and not isinstance(value, bool):
            related = self._related(record, name) if record is not None else self._related_by_id(name, value)
            return str(related) if related is not None else value
        if is_money(name) and isinstance(value, int) and not isinstance(value, bool):
            return format_yuan(value)
        field = self._schema_fields().get(name)
        if field is not None and isinstance(value, str | list | tuple):
            labels = choice_labels(field, name)
            enum_cls = getattr(field, "enum", None) or getattr(getattr(field, "inner", None), "enum", None)
            if labels or enum_cls is not None:
                items = value if isinstance(value, list | tuple) else [value]
                texts = [str(labels[v]) if v in labels else
                         str(enum_value_label(enum_cls, v) or v) if enum_cls is not None else str(v) for v in items]
                return "、".join(texts) if self._zh() else ", ".join(texts)
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if isinstance(value, list | tuple):  # a list kept as JSON: its items, never a Python repr
            texts = [str(v) if not isinstance(v, dict) else ", ".join(f"{k}: {x}" for k, x in v.items())
                     for v in value]
            return "、".join(texts) if self._zh() else ", ".join(texts)
        if isinstance(value, dt.datetime):
            return value.astimezone(self._tz()).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, str) and name.endswith("_at"):
            try:  # a time kept as text (the activity history stores ISO strings)
                parsed = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
            if parsed.tzinfo is not None:
                return parsed.astimezone(self._tz()).strftime("%Y-%m-%d %H:%M")
        return value

    @staticmethod
    def _zh() -> bool:
        from core.web.i18n import is_zh

        return is_zh()

    def _related_by_id(self, column: str, ident: int):
        col = self.spec.model.__table__.columns.get(column)
        if col is None or not col.foreign_keys:
            return None
        target = self.wuye.registry.models.get(next(iter(col.foreign_keys)).column.table.name)
        if target is None:
            return None
        from core.errors import NotFound
        from core.web.integration import get_scoped

        try:
            return get_scoped(db(), actor(), target, ident)
        except NotFound:  # not visible to this user, or gone: the history shows the number
            return None

    def _formatter(self, view, context, record, name):
        return self.display(record, name)

    def _tz(self):
        try:
            return zoneinfo.ZoneInfo(self.wuye.config.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return dt.UTC

    def _related(self, record, column: str):
        """The record a foreign key points to (through the relationship, else by primary key)."""
        for rel in inspect(type(record)).relationships:
            if isinstance(rel, RelationshipProperty) and [c.key for c in rel.local_columns] == [column]:
                return None if rel.uselist else getattr(record, rel.key)
        col = type(record).__table__.columns.get(column)
        if col is None or not col.foreign_keys:
            return None
        target = self.wuye.registry.models.get(next(iter(col.foreign_keys)).column.table.name)
        return db().get(target, getattr(record, column)) if target is not None else None

    @expose("/export/<export_type>/")
    def export(self, export_type):
        """CSV (UTF-8 with BOM, so spreadsheet programs read Chinese) or XLSX of the filtered list, masked."""
        if export_type not in self.export_types:
            abort(404)
        _count, rows = self._export_data()
        header = [str(label) for _c, label in self._export_columns]
        table = [[self.get_export_value(r, c) for c, _l in self._export_columns] for r in rows]
        filename = secure_filename(self.get_export_name(export_type))
        if export_type == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(header)
            writer.writerows(table)
            body, mimetype = ("\ufeff" + buf.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
        else:
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet(self.spec.name[:31])
            ws.append(header)
            for row in table:
                ws.append(row)
            out = io.BytesIO()
            wb.save(out)
            body = out.getvalue()
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment;filename={filename}"})

    def get_export_value(self, model, name):
        value = self.display(model, name)
        return "" if value is None else str(value)
