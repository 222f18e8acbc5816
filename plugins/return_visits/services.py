"""The return_visits plugin's business operations (public API for other plugins and integrators).

Each function takes the session (and the actor where a person acts), checks permission and estate,
raises a ``core.errors`` error naming the field and the fix (changing nothing), or works in the
caller's transaction (the caller commits).
"""

from plugins.return_visits.generation import chosen, create_rule, generate, rule_for, sources
from plugins.return_visits.ratings import LinkInvalid, make_token, rate_by_token, read_token
from plugins.return_visits.statistics import satisfaction_stats
from plugins.return_visits.visiting import cancel_visit, parse_satisfaction, record_unreachable, record_visit

__all__ = [
    "LinkInvalid", "cancel_visit", "chosen", "create_rule", "generate", "make_token", "parse_satisfaction",
    "rate_by_token", "read_token", "record_unreachable", "record_visit", "rule_for", "satisfaction_stats",
    "sources",
]
