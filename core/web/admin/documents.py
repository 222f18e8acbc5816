"""Admin pages of core documents: the print view and the PDF of each document of a record."""

from __future__ import annotations


def add_views(admin, app) -> None:
    """Add this feature's pages to the admin (called once by build_admin)."""


def record_section(view, record):
    """HTML (Markup) this feature adds to every generated record page (details and edit), or None."""
    return None
