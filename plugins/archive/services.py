"""The archive plugin's public contract: what other plugins (move_in, ownership changes) may call."""

from __future__ import annotations

from plugins.archive.access import (
    AccessRefused,
    SectionAccess,
    access_events,
    open_archive,
    open_section,
    request_access,
    require_section,
    valid_approval,
)
from plugins.archive.archives import (
    close_archive,
    completeness,
    ensure_archives,
    file_document,
    incomplete_archives,
    missing_documents,
    past_retention,
    register_archive,
)
from plugins.archive.census import close_round, open_round, progress, record_check

__all__ = [
    "AccessRefused",
    "SectionAccess",
    "access_events",
    "close_archive",
    "close_round",
    "completeness",
    "ensure_archives",
    "file_document",
    "incomplete_archives",
    "missing_documents",
    "open_archive",
    "open_round",
    "open_section",
    "past_retention",
    "progress",
    "record_check",
    "register_archive",
    "request_access",
    "require_section",
    "valid_approval",
]
