"""API routes of core documents (mounted under /api/v1)."""

from __future__ import annotations


def blueprint():
    """A Flask Blueprint mounted under /api/v1, or None."""
    return None
