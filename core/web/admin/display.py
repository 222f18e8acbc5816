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

from core.db import fen_to_yuan
from core.web.context import actor, db
from core.web.i18n import Bilingual, column_label, gettext, lazy_gettext, prettify
from core.web.integration import masked
from core.web.labels import ESTATE_KIND, VALUE_LABELS


class DisplayMixin:
    """Labels, cell values and exports; expects ``spec``, ``wuye`` and ``sensitive`` on the view."""

    # --- labels and display ---------------------------------------------------------------
    def label_for(self, name: str):
        if name in self.spec.column_labels:
            return column_label(name, self.spec.column_labels)
        field = self.spec.schema().fields.get(name)
        if field is not None and (field.metadata.get("label") or field.metadata.get("label_zh")):
            return Bilingual(field.metadata.get("label") or prettify(name), field.metadata.get("label_zh", ""))
        return column_label(name)

    def enum_label(self, member):
        value = member.value if isinstance(member, enum.Enum) else member
        wf = self.workflow
        if wf is not None:
            for state in wf.states:
                if state.name == value:
                    return Bilingual(state.label or state.name, state.label_zh)
        table = VALUE_LABELS.get(type(member).__name__, {})
        if value in table:
            return table[value]
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
        wf = self.workflow
        if isinstance(value, enum.Enum) or (wf is not None and name == wf.state_field):
            return str(self.enum_label(value))
        if name == "kind" and self.spec.model.__tablename__ == "core_estates" and value in ESTATE_KIND:
            return str(ESTATE_KIND[value])
        if name.endswith("_id") and isinstance(value, int):
            related = self._related(record, name)
            return str(related) if related is not None else value
        if name.endswith("_fen") and isinstance(value, int) and not isinstance(value, bool):
            return f"¥{fen_to_yuan(value)}"
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if isinstance(value, dt.datetime):
            return value.astimezone(self._tz()).strftime("%Y-%m-%d %H:%M")
        return value

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
