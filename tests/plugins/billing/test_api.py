"""Billing's API resources under /api/v1/billing/...: the same schemas and services as the screens."""

from __future__ import annotations

from core import ApiResourceSpec
from plugins.billing.api import api_resources


def test_api_resources():
    resources = api_resources()
    assert all(isinstance(r, ApiResourceSpec) for r in resources)
    paths = {r.path: r for r in resources}
    assert paths["billing/charge-lines"].can_create is False
    assert paths["billing/payments"].create_service is not None
