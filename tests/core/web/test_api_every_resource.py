"""Every API resource that allows creation can create a record (issue 14: no facility room could be
created through the API), and what it returns reads back the same from ``GET /<path>/<id>``."""

from __future__ import annotations

import pytest

from core.web.api import collect_resources
from core.web.specs import ApiResourceSpec
from tests.core.web.api_records import Api, make_one, superuser


@pytest.fixture
def api(app, world, factory, wuye):
    user_id, token = superuser(factory, wuye)
    return Api(app.test_client(), token, factory, wuye, world, user_id)


def creatable(wuye) -> list[ApiResourceSpec]:
    return [spec for _plugin, spec in collect_resources(wuye) if isinstance(spec, ApiResourceSpec) and spec.can_create]


def test_one_record_of_every_creatable_resource(api, wuye):
    specs = creatable(wuye)
    assert {"keys/facility-rooms", "estates", "billing/payments"} <= {s.path for s in specs}
    failures = []
    for spec in specs:
        try:
            made = make_one(api, spec)
        except AssertionError as exc:
            failures.append(str(exc))
            continue
        back = api.call("GET", f"{spec.path}/{made['id']}")
        if back.status_code != 200 or back.json != made:
            failures.append(f"GET /api/v1/{spec.path}/{made['id']} differs from what POST returned: "
                            f"{back.status_code} {back.get_data(as_text=True)[:300]} vs {made}")
    assert not failures, "\n\n".join(failures)


def test_a_resource_without_a_recipe_gets_a_body_from_its_schema(api, wuye):
    """What a newly scaffolded resource gets before anyone writes its recipe."""
    from tests.core.web.api_records import body_from_schema

    specs = {s.path: s for s in creatable(wuye)}
    body = body_from_schema(api, specs["buildings"])
    assert body == {"estate_id": api.estate, "code": "buildings-1"}  # a reference resolved to a real record
    assert api.call("POST", "buildings", body).status_code == 201
    assert api.call("POST", "estates", body_from_schema(api, specs["estates"])).status_code == 201
