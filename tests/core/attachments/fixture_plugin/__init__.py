"""The test-only plugin ``atttest`` (an attachable model and a plain one) and the path to boot it."""

from __future__ import annotations

from pathlib import Path

SEARCH = [(Path(__file__).parent, "tests.core.attachments.fixture_plugin")]
