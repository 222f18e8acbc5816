"""Notifications (通知): templates per event and language, and the delivery log (issue 17 part 3)."""

from __future__ import annotations

MODELS: tuple = ()  # every model of this module, registered by core.builtin_hooks
