"""Intake, the front door (来电来访登记): one reception record for everything that arrives, routed to the
plugin that handles its category, and incidents that merge duplicates. See docs/intake.md.
"""

from __future__ import annotations

# What core.builtin_hooks registers for this feature (filled in by the feature's modules).
PERMISSIONS: tuple = ()
JOBS: tuple = ()
EVENTS: tuple = ()
