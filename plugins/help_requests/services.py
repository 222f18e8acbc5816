"""The help_requests plugin's public contract: what another plugin may call (``depends = ["help_requests"]``)."""

from plugins.help_requests.answers import create_answer, find_answers, seed_answers, update_answer
from plugins.help_requests.handling import alert_emergency, register_request, reply_due
from plugins.help_requests.intake import guess_category
from plugins.help_requests.statistics import monthly_counts

__all__ = ["alert_emergency", "create_answer", "find_answers", "guess_category", "monthly_counts", "register_request",
           "reply_due", "seed_answers", "update_answer"]
