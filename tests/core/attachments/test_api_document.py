"""The attachment routes keep to their OpenAPI operations (schemathesis, as tests/core/web/test_api_fuzz.py
does for the whole API): generated requests, valid and invalid, against the test instance with a real
report and a real attachment; every response has a documented status, content type and schema."""

from __future__ import annotations

import schemathesis
from apispec import APISpec
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.attachments import add_attachment
from core.web.api.attachments import document_paths
from core.web.api.openapi import ERROR_SCHEMA, ERRORS
from tests.core.attachments.conftest import image_bytes

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def document(wuye) -> dict:
    api = APISpec(title="Wuye API", version="1", openapi_version="3.0.3", servers=[{"url": "/"}])
    api.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.components.schema("Error", ERROR_SCHEMA)
    specs = [(plugin, spec, ()) for plugin, items in wuye.call_each("wuye_api_resources") for spec in items]
    document_paths(api, ERRORS, [{"bearerAuth": []}], {"name": "ident", "in": "path", "required": True,
                                                       "schema": {"type": "integer", "minimum": 1,
                                                                  "maximum": 2**31 - 1}}, wuye, specs)
    return api.to_dict()


def test_every_attachment_operation_keeps_to_its_document(att, att_app, api, files):
    report = att.reports["A"]
    a = add_attachment(att.session, att.users["cs_a"], report, "door.jpg", image_bytes((200, 100)))
    att.session.commit()
    client = api("boss")
    headers = {"Authorization": client.environ_base["HTTP_AUTHORIZATION"]}
    schema = schemathesis.openapi.from_dict(document(att.wuye))
    schema.app = att_app
    found: dict = {}
    statuses: set = set()
    for result in schema.get_all_operations():
        op = result.ok()
        if op.method.lower() == "delete":
            continue  # removal is tested on its own (test_api.py); here it would empty the record
        fixed = {"ident": report.id if "reports" in op.path else a.id} if "{ident}" in op.path else None
        for mode, count in ((GenerationMode.POSITIVE, 6), (GenerationMode.NEGATIVE, 3)):
            strategy = op.as_strategy(generation_mode=mode, path_parameters=fixed)

            @settings(max_examples=count, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(strategy)
            def run(case):
                response = case.call(headers={**(case.headers or {}), **headers}, app=att_app)
                statuses.add(response.status_code)
                try:
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except (FailureGroup, Failure) as exc:
                    failures = exc.exceptions if isinstance(exc, FailureGroup) else [exc]
                    for f in failures:
                        found.setdefault((case.method, case.operation.path, f.title), f"{f.message[:400]} <- {case.formatted_path} "
                                                                        f"{case.query} -> {response.status_code}")

            run()
    assert 200 in statuses and 422 in statuses
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())
