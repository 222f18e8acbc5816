"""The help_requests plugin's public contract: what another plugin may call (``depends = ["help_requests"]``)."""

from plugins.help_requests.answers import create_answer, find_answers, seed_answers, update_answer
from plugins.help_requests.handling import alert_emergency, register_request, reply_due
from plugins.help_requests.intake import guess_category

__all__ = ["alert_emergency", "create_answer", "find_answers", "guess_category", "register_request", "reply_due",
           "seed_answers", "update_answer"]
