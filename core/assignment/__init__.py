"""Assignment and escalation (派工与升级): named assignee and team, dispatch modes (assign, grab 抢单,
round-robin), the escalation chain staff -> supervisor -> manager, and breach reports. See docs/assignment.md.
"""

from __future__ import annotations

# What core.builtin_hooks registers for this feature (filled in by the feature's modules).
PERMISSIONS: tuple = ()
JOBS: tuple = ()
EVENTS: tuple = ()
