"""Fuzzing the API from its own OpenAPI document (schemathesis + hypothesis): no input gives a 500.

Bounded: about 100 generated requests spread over every operation, valid and invalid data alike,
sent with a real token of the general manager (sees every estate) through the WSGI app.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.web.conftest import bearer

schemathesis = pytest.importorskip("schemathesis")


@pytest.fixture
def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    ops = [result.ok() for result in schema.get_all_operations()]
    assert len(ops) >= 8
    return ops


def test_no_input_makes_a_server_error(app, world, token_for, operations):
    headers = bearer(token_for("admin"))
    strategies = [op.as_strategy() for op in operations]
    seen: list[int] = []

    @settings(max_examples=100, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data):
        case = data.draw(st.sampled_from(strategies).flatmap(lambda s: s))
        response = case.call(headers={**(case.headers or {}), **headers})
        seen.append(response.status_code)
        assert response.status_code < 500, (case.method, case.formatted_path, case.query, case.body,
                                             response.text[:500])
        assert response.headers.get("content-type", [""])[0].startswith("application/json")

    run()
    assert len(seen) >= 50 and any(code < 300 for code in seen)
