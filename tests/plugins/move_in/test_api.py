"""The move-in API resources create records and step a case through the API (with the recipes of
core's every-resource test, tests/core/web/api_records.py)."""

from __future__ import annotations

import pytest

from core.web.api import collect_resources
from tests.core.web.api_records import RECIPES as CORE_RECIPES
from tests.core.web.api_records import Api, make_one, superuser
from tests.core.web.conftest import world  # noqa: F401  (the fixture: estates A and B with staff)

# the recipes live with core's every-resource test; this file checks the move-in ones alone
RECIPES = {path: CORE_RECIPES[path] for path in ("move-in/cases", "move-in/defects", "move-in/slots", "move-in/batches")}


@pytest.fixture
def api(app, world, factory, wuye):  # noqa: F811
    user_id, token = superuser(factory, wuye)
    return Api(app.test_client(), token, factory, wuye, world, user_id)


def test_every_move_in_resource_creates_and_reads_back(api, wuye):
    specs = [spec for plugin, spec in collect_resources(wuye) if plugin == "move_in" and spec.can_create]
    assert {s.path for s in specs} == set(RECIPES)
    for spec in specs:
        made = make_one(api, spec)
        assert api.call("GET", f"{spec.path}/{made['id']}").json == made
    case = api.made["move-in/cases"]
    assert case["number"].startswith("MI-") and case["agent_id_number"] == ""
    back = api.call("GET", f"move-in/cases/{case['id']}").json
    assert back["status"] == "fees_paid"  # the defect recipe took it to the inspection
