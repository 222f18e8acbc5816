"""Assignment (派工): teams, dispatch rules and the assignment history of records (issue 17 part 2)."""

from __future__ import annotations

MODELS: tuple = ()  # every model of this module, registered by core.builtin_hooks
