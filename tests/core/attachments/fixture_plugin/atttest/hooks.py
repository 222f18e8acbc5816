"""Hooks of the attachment test plugin: two screens and two API resources, one attachable."""

from __future__ import annotations

from marshmallow import Schema, fields

from core import Permission, hookimpl


class ReportSchema(Schema):
    id = fields.Integer(dump_only=True, metadata={"label": "ID", "label_zh": "编号"})
    estate_id = fields.Integer(required=True, metadata={"label": "Estate", "label_zh": "小区"})
    title = fields.String(required=True, metadata={"label": "Title", "label_zh": "标题"})


@hookimpl
def wuye_register_models():
    from .models import AtMemo, AtReport

    return [AtReport, AtMemo]


@hookimpl
def wuye_register_permissions():
    return [
        Permission("atttest.view", "View reports", "查看报告", ("cs_specialist", "guard", "general_manager")),
        Permission("atttest.edit", "Edit reports", "编辑报告", ("cs_specialist", "general_manager")),
    ]


@hookimpl
def wuye_admin_views():
    from core.web.specs import AdminViewSpec

    from .models import AtMemo, AtReport

    return [AdminViewSpec(model=AtReport, schema=ReportSchema, name="atttest_reports", label="Reports",
                          label_zh="报告", view_permission="atttest.view", edit_permission="atttest.edit",
                          list_columns=("title",)),
            AdminViewSpec(model=AtMemo, schema=ReportSchema, name="atttest_memos", label="Memos", label_zh="备忘",
                          view_permission="atttest.view", edit_permission="atttest.edit", list_columns=("title",))]


@hookimpl
def wuye_api_resources():
    from core.web.specs import ApiResourceSpec

    from .models import AtMemo, AtReport

    return [ApiResourceSpec(model=AtReport, schema=ReportSchema, path="atttest/reports",
                            view_permission="atttest.view", edit_permission="atttest.edit"),
            ApiResourceSpec(model=AtMemo, schema=ReportSchema, path="atttest/memos",
                            view_permission="atttest.view", edit_permission="atttest.edit")]
