"""Generated forms: money in yuan, choice labels, confirmation, prefill, translated messages, required fields.

A screen of its own (``test_budgets``, over estates) is added to a fresh app so the mechanisms are
tested independently of any plugin's content.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from flask import session as flask_session
from flask_babel import refresh
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from core import ConfirmationRequired, Text, ValidationError
from core.models import Estate
from core.web.admin.base import WuyeModelView
from core.web.admin.forms import input_fields
from core.web.specs import AdminViewSpec
from core.workflow import Transition
from tests.core.web.conftest import csrf_of
from tests.core.web.zh_client import client_of_everything

SEEN: dict = {}


class BudgetSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=32),
                         metadata={"label": "Code", "label_zh": "编码"})
    name = fields.String(required=True, metadata={"label": "Name", "label_zh": "名称"})
    budget_fen = fields.Integer(required=True, strict=True, validate=validate.Range(min=0),
                                metadata={"label": "Budget (fen)", "label_zh": "预算（分）"})
    channel = fields.String(load_default="", validate=validate.OneOf(["", "wechat", "cash"]),
                            metadata={"label": "Channel", "label_zh": "渠道", "labels": {
                                "": ("None", "无"), "wechat": ("WeChat Pay", "微信支付"), "cash": ("Cash", "现金")}})
    confirm = fields.Boolean(load_only=True, load_default=False)


def create_budget(session, actor, data):
    SEEN["data"] = dict(data)
    if data["name"] == "refuse":
        raise ValidationError({"budget_fen": [Text("Budget refused", "预算被拒绝")], "notes": [Text("Nope", "不行")],
                               "_schema": [Text("budget_fen: too round", "budget_fen: 太整了")]})
    if data["name"] == "prefixed":
        raise ValidationError({"budget_fen": [Text("budget_fen: must be odd", "budget_fen: 须为奇数")]})
    if data["budget_fen"] > 100_000 and not data.get("confirm"):
        raise ConfirmationRequired(Text("A budget of ¥{y} is above ¥1,000.00; confirm it.",
                                        "预算 ¥{y} 超过 ¥1,000.00，请确认。").format(y=f"{data['budget_fen'] / 100:,.2f}"))
    estate = Estate(code=data["code"], name=data["name"])
    session.add(estate)
    return estate


SPEC = AdminViewSpec(model=Estate, schema=BudgetSchema, name="test_budgets", label="Budgets", label_zh="预算",
                     view_permission="core.estates.view", edit_permission="core.estates.manage",
                     list_columns=("code", "name"), create_service=create_budget)

_APPS: dict = {}


@pytest.fixture
def budget_app(wuye, engine, factory):
    """A fresh app with the ``test_budgets`` screen, its requests bound to this test's connection."""
    from core.web import create_app
    from core.web.admin import make_view_class
    from core.web.context import RequestDB

    if engine not in _APPS:
        holder: dict = {}
        app = create_app(wuye, testing=True, session_factory=lambda: holder["factory"]())
        cls = make_view_class(wuye, "core", SPEC)
        app.extensions["admin"][0].add_view(cls(RequestDB(), name="Budgets", category="Tests", endpoint="test_budgets"))
        _APPS[engine] = (app, holder)
    app, holder = _APPS[engine]
    holder["factory"] = factory
    return app


@pytest.fixture
def zh(budget_app, world, factory, wuye):
    return client_of_everything(budget_app, factory, wuye, "forms_zh")


@pytest.fixture
def en(budget_app, world, factory, wuye):
    return client_of_everything(budget_app, factory, wuye, "forms_en", locale="en")


def post_new(client, **data):
    token = csrf_of(client.get("/admin/test_budgets/new/").text)
    return client.post("/admin/test_budgets/new/", data={"csrf_token": token, **data})


def test_money_is_one_yuan_input_labelled_without_fen(zh, en):
    page = zh.get("/admin/test_budgets/new/").text
    assert "预算（元）" in page and "预算（分）" not in page
    assert re.search(r'<input[^>]*name="budget_fen"[^>]*inputmode="decimal"|<input[^>]*inputmode="decimal"[^>]*'
                     r'name="budget_fen"', page)
    assert 'name="confirm"' not in page  # asked only when the service wants a confirmation
    assert ">微信支付<" in page and ">wechat<" not in page
    assert "Budget (¥)" in en.get("/admin/test_budgets/new/").text


@pytest.mark.parametrize("typed, fen", [("1,234.5", 123450), ("¥1,234.50", 123450), ("12", 1200), ("0.05", 5)])
def test_yuan_is_converted_to_fen(zh, typed, fen):
    post_new(zh, code="Y1", name="n", budget_fen=typed, channel="cash")
    assert SEEN["data"]["budget_fen"] == fen and SEEN["data"]["channel"] == "cash"


def test_bad_amounts_are_refused_with_a_translated_message(zh, factory):
    r = post_new(zh, code="Y2", name="n", budget_fen="12.345")
    assert r.status_code == 200 and "金额最多两位小数" in r.text
    r = post_new(zh, code="Y2", name="n", budget_fen="twelve")
    assert "金额格式不正确" in r.text
    s = factory()
    assert s.scalar(select(Estate).where(Estate.code == "Y2")) is None
    s.close()


def test_confirmation_is_asked_then_given(zh, factory):
    r = post_new(zh, code="BIG", name="n", budget_fen="2,000")
    assert r.status_code == 200
    assert "预算 ¥2,000.00 超过 ¥1,000.00，请确认。" in r.text and 'name="confirm"' in r.text
    assert "是的，我确认" in r.text
    s = factory()
    assert s.scalar(select(Estate).where(Estate.code == "BIG")) is None
    s.close()
    r = zh.post("/admin/test_budgets/new/", data={"csrf_token": csrf_of(r.text), "code": "BIG", "name": "n",
                                                  "budget_fen": "2,000", "confirm": "y"})
    assert r.status_code == 302 and SEEN["data"]["confirm"] is True
    s = factory()
    assert s.scalar(select(Estate).where(Estate.code == "BIG")) is not None
    s.close()


def test_service_messages_show_in_chinese_with_field_labels(zh, en):
    r = post_new(zh, code="R1", name="refuse", budget_fen="1")
    assert "预算被拒绝" in r.text  # under the field
    assert "备注：不行" in r.text and "notes:" not in r.text  # a field the form lacks: its label, not its name
    assert "预算：太整了" in r.text and "budget_fen:" not in r.text  # a message naming a field: its label
    r = post_new(zh, code="R1", name="prefixed", budget_fen="1")
    assert "须为奇数" in r.text and "budget_fen" not in r.text.replace('name="budget_fen"', "").replace(
        'id="budget_fen"', "").replace('for="budget_fen"', "")
    r = post_new(en, code="R1", name="refuse", budget_fen="1")
    assert "Budget refused" in r.text and "Notes: Nope" in r.text


def test_api_keeps_the_english_text(budget_app):
    from core.web.api.errors import from_wuye_error

    with budget_app.test_request_context("/api/v1/x"):
        flask_session["locale"] = "zh_CN"
        refresh()
        exc = ValidationError({"amount": [Text("must not be negative", "不能为负数")]})
        body = from_wuye_error(exc).get_json()["error"]
        assert body["errors"] == {"amount": ["must not be negative"]} and "不能" not in body["message"]
        body = from_wuye_error(ConfirmationRequired(Text("Confirm the overpayment", "请确认多收"))).get_json()["error"]
        assert body == {"status": 409, "message": "Confirm the overpayment", "field": None,
                        "code": "ConfirmationRequired"}


def test_create_form_is_prefilled_from_the_query_string(zh, world, factory):
    from core.models import Building, Unit

    page = zh.get("/admin/test_budgets/new/?channel=wechat&budget_fen=150000&name=Prefilled").text
    assert re.search(r'<option[^>]*selected[^>]*value="wechat"|<option[^>]*value="wechat"[^>]*selected', page)
    assert 'value="1500.00"' in page and 'value="Prefilled"' in page
    s = factory()
    building = s.get(Building, s.get(Unit, world["units_a"][0]).building_id)
    label, ident = str(building), building.id
    s.close()
    page = zh.get(f"/admin/core_units/new/?building_id={ident}").text
    field = re.search(r'<input[^>]*name="building_id"[^>]*>', page).group(0)
    chosen = json.loads(html.unescape(re.search(r'data-json="([^"]*)"', field).group(1)))
    assert chosen[0] == ident and label.split()[-1] in chosen[1]  # the lookup shows the building chosen


def test_every_required_field_is_on_every_create_form(budget_app, zh):
    problems = []
    admin = budget_app.extensions["admin"][0]
    for view in [v for v in admin._views if isinstance(v, WuyeModelView)]:
        r = zh.get(f"/admin/{view.spec.name}/new/")
        if r.status_code != 200:
            continue  # read-only screens
        shown = set(re.findall(r'name="([^"]+)"', r.text))
        for name, field in view.spec.schema().fields.items():
            if field.required and not field.dump_only and name not in view.form_skip and name not in shown:
                problems.append(f"plugin {view.plugin!r}, screen {view.spec.name!r}: required field {name!r} "
                                "is not on the create form")
        assert set(input_fields(view.spec.schema, view.form_skip)) - {"confirm"} <= shown | {"csrf_token"}, \
            view.spec.name
    assert not problems, "\n".join(problems)


def test_backward_transitions_are_inferred_from_their_names():
    def t(name, **kw):
        return Transition(name, ("a",), "b", "p", **kw)

    assert t("reject").is_backward and t("cancel").is_backward and t("send_back").is_backward
    assert t("withdraw_application").is_backward and t("request_revision").is_backward
    assert not t("approve").is_backward and not t("return").is_backward and not t("return_visit").is_backward
    assert not t("return_to_custody").is_backward
    assert t("approve", backward=True).is_backward and not t("reject", backward=False).is_backward


def test_a_transition_needing_a_comment_is_refused_without_one(budget_app, world, factory, wuye):
    from core import as_system
    from plugins.keys import services as keys

    c = client_of_everything(budget_app, factory, wuye, "keys_zh")
    s = factory()
    with as_system(s):
        ks = keys.create_key_set(s, None, estate_id=world["a"], tag_no="T-1", unit_id=world["units_a"][0])
    s.commit()
    ident = ks.id
    s.close()
    page = c.get(f"/admin/keys_key_sets/details/?id={ident}").text
    assert 'data-transition="destroy"' in page and "备注（必填）" in page
    assert re.search(r'data-transition="destroy"[^>]*data-requires-comment="true"', page)
    r = c.post("/admin/keys_key_sets/transition/", data={"csrf_token": csrf_of(page), "id": ident,
                                                         "transition": "destroy", "comment": "  "},
               follow_redirects=True)
    assert "须填写备注说明原因" in r.text
    s = factory()
    from plugins.keys.models import KeySet

    assert s.get(KeySet, ident).status.value == "with_developer"
    s.close()


def test_activity_history_reads_like_the_details_page(zh, world):
    page = zh.get(f"/admin/core_units/details/?id={world['units_a'][0]}").text
    activity = page[page.index('id="activity"'):]
    assert "A Estate A" in activity and "→ 1<" not in activity and "occupied" not in activity


def test_text_is_english_in_the_api_and_chinese_on_screens(budget_app):
    text = Text("must not be negative", "不能为负数")
    for path, expected in (("/api/v1/units", "must not be negative"), ("/admin/", "不能为负数")):
        with budget_app.test_request_context(path):
            flask_session["locale"] = "zh_CN"
            refresh()
            assert str(text) == expected, path
