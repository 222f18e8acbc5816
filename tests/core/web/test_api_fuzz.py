"""The API does what its OpenAPI document says (schemathesis + hypothesis over ``/api/v1/openapi.json``).

With every plugin enabled and one real record of every resource (``api_records``), sent with the
token of a user holding every permission in every estate (so requests get past the permission checks
and reach the code behind them):

* every list and every record is read back and checked against the response schema;
* every operation (each workflow transition is one, with its own body schema) gets generated
  requests, valid and invalid alike, ``{ident}`` bound to the resource's real record; each response
  must not be a 5xx, must have a documented status code, a JSON body and match the documented schema;
* a method a path does not document answers 405 with an ``Allow`` header naming the ones it does.

Deterministic (``derandomize``, no example database) and bounded: ``EXAMPLES`` valid and
``NEGATIVE_EXAMPLES`` invalid requests per operation, some 2000 requests, well under a minute on
SQLite. Every failure is collected and reported at the end, grouped by operation and check.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis  # a test dependency (.[test]): missing, this fails rather than skipping the probe
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.web.api import collect_resources
from core.web.specs import ApiResourceSpec
from tests.core.web.api_records import MADE_BY_STEPS, Api, make_one, superuser

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 8
NEGATIVE_EXAMPLES = 4


@pytest.fixture
def records(app, world, factory, wuye):
    """(Api of the all-permissions user, {path: id of a real record}) with one record of every resource."""
    user_id, token = superuser(factory, wuye)
    api = Api(app.test_client(), token, factory, wuye, world, user_id)
    ids = {}
    for _plugin, spec in collect_resources(wuye):
        if not isinstance(spec, ApiResourceSpec):
            continue
        if spec.can_create:
            ids[spec.path] = make_one(api, spec)["id"]
    for _plugin, spec in collect_resources(wuye):  # read-only resources: what the others made
        if isinstance(spec, ApiResourceSpec) and spec.path not in ids:
            if spec.path in MADE_BY_STEPS:
                MADE_BY_STEPS[spec.path](api)
            items = api.call("GET", f"{spec.path}?per_page=1").json["items"]
            if items:
                ids[spec.path] = items[0]["id"]
    return api, ids


@pytest.fixture
def schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def _resource_of(path: str) -> str:
    """``/api/v1/keys/key-sets/{ident}/transitions/return`` -> ``keys/key-sets``."""
    return path.removeprefix("/api/v1/").split("/{ident}")[0]


class Findings:
    """Failures by (operation, check), with the first example of each."""

    def __init__(self):
        self.found: dict[tuple[str, str], str] = {}
        self.responses = 0
        self.statuses: Counter[int] = Counter()

    def check(self, case, response, headers):
        self.responses += 1
        self.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                self._add(case, response, failure)
        except Failure as failure:
            self._add(case, response, failure)

    def _add(self, case, response, failure):
        key = (f"{case.method.upper()} {case.operation.path}", failure.title)
        self.found.setdefault(key, f"{failure.message[:700]}\n    sent {case.method.upper()} {case.formatted_path} "
                                   f"query={case.query} body={str(case.body)[:300]}\n    got {response.status_code} "
                                   f"{response.text[:300]}")

    def count(self, *titles: str) -> int:
        return sum(1 for (_op, title) in self.found if not titles or title in titles)

    def report(self) -> str:
        return "\n\n".join(f"{op}: {title}\n    {text}" for (op, title), text in sorted(self.found.items()))


def fuzz(schema, records, *, examples: int = EXAMPLES, negative: int = NEGATIVE_EXAMPLES) -> Findings:
    """Run the checks over every operation; return what they found (the caller asserts)."""
    api, ids = records
    headers = dict(api.headers)
    findings = Findings()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 100, "the document lost operations"
    for op in operations:
        resource = _resource_of(op.path)
        fixed = {"ident": ids[resource]} if "{ident}" in op.path and resource in ids else None
        # The real records, read back (a path with another parameter, e.g. a chart id, is only fuzzed).
        if op.method.lower() == "get" and ("{" not in op.path or fixed):
            case = op.Case(path_parameters=fixed or {}, query={})
            findings.check(case, case.call(headers=headers), headers)
        for mode, count in ((GenerationMode.POSITIVE, examples), (GenerationMode.NEGATIVE, negative)):
            if not count:
                continue
            strategy = op.as_strategy(generation_mode=mode, path_parameters=fixed)

            @settings(max_examples=count, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(strategy)
            def run(case):
                findings.check(case, case.call(headers={**(case.headers or {}), **headers}), headers)

            run()
    return findings


def test_every_operation_keeps_to_the_document(schema, records):
    findings = fuzz(schema, records)
    print(f"\n{findings.responses} responses, status codes {sorted(findings.statuses.items())}")
    assert findings.responses >= 1000
    assert sum(n for status, n in findings.statuses.items() if status < 300) >= 300  # past the checks, too
    assert not findings.found, (f"{len(findings.found)} kinds of failure in {findings.responses} responses "
                                f"({findings.count('Server error')} server errors):\n\n{findings.report()}")


def test_undocumented_methods_are_405_with_allow(app, schema, records):
    api, ids = records
    client = app.test_client()
    for path, item in schema.raw_schema["paths"].items():
        resource = _resource_of(path)
        url = path.replace("{ident}", str(ids.get(resource, 1)))
        documented = {m.upper() for m in item if m in ("get", "post", "patch", "put", "delete")}
        for method in sorted({"PUT", "DELETE", "PATCH", "POST"} - documented):
            r = client.open(url, method=method, headers=api.headers)
            assert r.status_code == 405, (method, url, r.status_code)
            allow = {m.strip() for m in r.headers.get("Allow", "").split(",") if m.strip()}
            assert documented <= allow and method not in allow, (method, url, r.headers.get("Allow"))
            assert r.json["error"]["status"] == 405
