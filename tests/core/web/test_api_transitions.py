"""Every workflow transition declares the data it reads (``Transition(schema=...)``), so the API can
validate and document each transition's body (issue 14: bodies were documented as only ``comment``
while transitions read ``approver``, ``refund_fen``, ``survey_summary``, ``confirmed_by`` ...)."""

from __future__ import annotations

import inspect
import re
import textwrap

import pytest
from marshmallow import Schema, fields

from core.errors import ValidationError
from core.validation import load
from core.web.api.resources import transition_schema
from core.workflow import Transition

# Values only Python callers pass (objects built by the plugin's own services, the time a service or
# job acts as of), never request data: the API refuses any key its transition schema does not declare.
PYTHON_ONLY = {"loan", "agreement", "from_agreement", "from_key_release", "owner", "now"}
DATA_READ = re.compile(r"""data(?:\.get\(\s*|\[\s*)["'](\w+)["']""")


def reads(fn) -> set[str]:
    """The data keys a guard or effect reads: its keyword parameters and its ``data.get("x")`` / ``data["x"]``."""
    params = inspect.signature(fn).parameters.values()
    names = {p.name for p in params if p.default is not inspect.Parameter.empty}
    try:
        names |= set(DATA_READ.findall(textwrap.dedent(inspect.getsource(fn))))
    except (OSError, TypeError):  # no source (a builtin, a C function)
        pass
    return names


def declared(transition) -> set[str]:
    return {f.data_key or n for n, f in transition_schema(transition)().load_fields.items()}


def test_every_transition_declares_what_its_guards_and_effects_read(wuye):
    missing = {}
    for name, wf in wuye.registry.workflows.items():
        for t in wf.transitions:
            read = set().union(*(reads(fn) for fn in (*t.guards, *t.effects))) - PYTHON_ONLY
            undeclared = sorted(read - declared(t))
            if undeclared:
                missing[f"{name}.{t.name}"] = undeclared
    assert not missing, ("these transitions read data their schema does not declare; add the fields to "
                         f"Transition(schema=...): {missing}")


def test_known_readers_are_found():
    """The scan itself: parameters and data lookups are seen."""

    def effect(session, record, actor, refund_fen=None, **data):
        return data.get("survey_summary"), data["confirmed_by"]

    assert reads(effect) == {"refund_fen", "survey_summary", "confirmed_by"}


class _Seal(Schema):
    seal_no = fields.String(required=True)


def test_the_body_schema_adds_comment_and_approver_and_refuses_the_rest():
    plain = Transition("close", ("open",), "closed", "x.close")
    assert load(transition_schema(plain), {}) == {"comment": None}
    assert load(transition_schema(plain), {"comment": "done", "approver": 3}) == {"comment": "done", "approver": 3}
    with pytest.raises(ValidationError) as err:
        load(transition_schema(plain), {"colour": "red"})
    assert err.value.field == "colour"
    strict = Transition("seal", ("open",), "sealed", "x.seal", requires_comment=True, schema=_Seal)
    with pytest.raises(ValidationError) as err:
        load(transition_schema(strict), {"seal_no": "F-1"})
    assert err.value.field == "comment"
    with pytest.raises(ValidationError) as err:
        load(transition_schema(strict), {"comment": "ok", "seal_no": "  "})
    assert err.value.field == "seal_no"
    assert load(transition_schema(strict), {"comment": "ok", "seal_no": "F-1"}) == {"comment": "ok", "seal_no": "F-1"}
    with pytest.raises(TypeError, match="marshmallow Schema class"):
        transition_schema(Transition("bad", ("open",), "x", "x.bad", schema=dict))

