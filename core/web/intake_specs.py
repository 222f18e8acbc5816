"""Generated screens and API resources of core intake (AdminViewSpec / ApiResourceSpec)."""

from __future__ import annotations


def admin_specs() -> list:
    return []


def api_specs() -> list:
    return []
