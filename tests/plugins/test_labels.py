"""Every plugin speaks both languages on screen: each schema field has a Chinese label, each choice and
enum member a (English, 中文) pair, and the raw codes the issue found (shared_utilities, apportion,
wechat, owner, wall_finish, "Deposit required fen", Out/Lend/Repairs) read as words."""

from __future__ import annotations

import enum
import importlib
import pkgutil

import pytest
from marshmallow import Schema, fields, validate

from core import Text

PLUGINS = ("billing", "convenience", "keys", "renovation", "webhooks")


def _modules(package: str) -> list:
    pkg = importlib.import_module(package)
    found = [pkg]
    if hasattr(pkg, "__path__"):
        found += [importlib.import_module(m.name) for m in pkgutil.iter_modules(pkg.__path__, package + ".")]
    return found


def _enums(plugin: str) -> list[type]:
    return sorted({o for m in _modules(f"plugins.{plugin}.models") if m is not None for o in vars(m).values()
                   if isinstance(o, type) and issubclass(o, enum.Enum) and o.__module__.startswith("plugins.")},
                  key=lambda e: e.__name__)


def _schemas(plugin: str) -> list[type]:
    module = importlib.import_module(f"plugins.{plugin}.schemas")
    return [o for o in vars(module).values()
            if isinstance(o, type) and issubclass(o, Schema) and o.__module__ == module.__name__]


def unlabelled(schemas, enums) -> list[str]:
    """Fields without a Chinese label; choices and enum members without a label pair."""
    problems, seen = [], set(enums)
    for schema in schemas:
        for name, field in schema().fields.items():
            if not field.metadata.get("label_zh"):
                problems.append(f"{schema.__name__}.{name}: no label_zh")
            inner = field.inner if isinstance(field, fields.List) else field
            if isinstance(inner, fields.Enum):
                seen.add(inner.enum)
                continue
            labels = field.metadata.get("labels") or inner.metadata.get("labels") or {}
            for v in getattr(inner, "validators", []):
                if isinstance(v, validate.OneOf):
                    problems += [f"{schema.__name__}.{name}: choice {c!r} unlabelled" for c in v.choices
                                 if c not in labels]
    for e in seen:
        labels = getattr(e, "__labels__", {})
        problems += [f"{e.__name__}.{m.value}: no label pair" for m in e
                     if len(labels.get(m.value, ())) != 2 or not all(labels[m.value])]
    return problems


@pytest.mark.parametrize("plugin", PLUGINS)
def test_every_field_choice_and_enum_member_has_both_languages(plugin):
    assert unlabelled(_schemas(plugin), _enums(plugin) if plugin != "webhooks" else []) == []


def test_the_scan_finds_what_is_missing():
    """The check above can fail: an unlabelled field, choice and enum member are each reported."""

    class Colour(enum.StrEnum):
        red = "red"

    class Bare(Schema):
        size = fields.String(validate=validate.OneOf(["s", "m"]), metadata={"label_zh": "尺码", "labels": {"s": ("S", "小")}})
        colour = fields.Enum(Colour, by_value=True)

    assert unlabelled([Bare], []) == ["Bare.size: choice 'm' unlabelled", "Bare.colour: no label_zh",
                                      "Colour.red: no label pair"]


def _label(schema, field: str, value: str) -> tuple[str, str]:
    f = schema().fields[field]
    return (f.metadata.get("labels") or f.inner.metadata["labels"])[value]


def test_the_raw_codes_of_the_issue_read_as_words():
    from plugins.billing.schemas import ChargeLineSchema, FeeItemSchema, PaymentSchema
    from plugins.keys.models import KeyUse, LoanKind, LoanStatus
    from plugins.renovation.schemas import ApplicationSchema

    assert _label(FeeItemSchema, "category", "shared_utilities") == ("Shared water and electricity", "公摊水电费")
    assert _label(ChargeLineSchema, "origin", "apportion")[1] == "公摊分摊"
    assert _label(PaymentSchema, "method", "wechat") == ("WeChat Pay", "微信支付")
    assert _label(FeeItemSchema, "payer", "owner")[1] == "业主"
    assert _label(ApplicationSchema, "scope", "wall_finish")[1] == "墙面装饰"
    deposit = ApplicationSchema().fields["deposit_required_fen"].metadata
    assert (deposit["label"], deposit["label_zh"]) == ("Deposit required (¥)", "应交装修保证金（元）")
    assert LoanStatus.__labels__["out"][1] == "借出未还" and LoanKind.__labels__["lend"][1] == "借用"
    assert KeyUse.__labels__["repairs"] == ("Repairs", "维修")
    for schema, name in ((PaymentSchema, "payer"), (PaymentSchema, "method")):
        assert schema().fields[name].metadata["label_zh"] in ("缴款人", "付款方式")


def test_charge_lists_hide_the_machine_source_reference():
    from plugins.billing.admin import admin_views

    charges = next(v for v in admin_views() if v.name == "billing_charge_lines")
    assert "source" not in charges.list_columns and "source" in charges.search_fields
    assert charges.column_labels["fee_item"] == ("Fee item", "收费项目")


def test_schema_messages_are_text_pairs():
    from marshmallow import ValidationError as MmError

    from plugins.billing.schemas import PaymentSchema
    from plugins.renovation.schemas import ApplicationSchema

    with pytest.raises(MmError) as err:
        PaymentSchema().load({"unit_id": 1, "method": "cash", "amount": "-5"})
    message = err.value.messages["amount"][0]
    assert isinstance(message, Text) and message.zh == "amount: 不能为负数"
    with pytest.raises(MmError) as err:
        ApplicationSchema().load({"unit_id": 1, "applicant_id": 2, "scope": ["flooring"], "contractor_name": "",
                                  "planned_start": "2026-03-02", "planned_end": "2026-03-01"})
    assert isinstance(err.value.messages["planned_end"][0], Text)


def test_no_screen_shows_an_amount_twice():
    """A yuan field and its ``*_fen`` twin on one screen read as two amounts (issue 15: typing 1000 in the fen
    one recorded ¥10.00); the screens keep the ``*_fen`` field, shown in yuan."""
    from core.testing import boot

    wuye = boot()
    for _plugin, specs in wuye.call_each("wuye_admin_views"):
        for spec in specs:
            shown = {f.data_key or n for n, f in spec.schema().fields.items()}
            twins = {n for n in shown if f"{n}_fen" in shown}
            assert not twins, f"{spec.name} shows {twins} and their *_fen twins"
