"""Intake (来电来访登记): reception records and the incidents duplicates merge into (issue 17 part 5)."""

from __future__ import annotations

MODELS: tuple = ()  # every model of this module, registered by core.builtin_hooks
