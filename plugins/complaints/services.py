"""The complaint register's public contract: what another plugin may call (``depends = ["complaints"]``)."""

from plugins.complaints.handling import assign_complaint, conflict_message, from_intake, register_complaint
from plugins.complaints.statistics import monthly_statistics, open_complaints
from plugins.complaints.visits import closed_between, reopen

__all__ = ["assign_complaint", "closed_between", "conflict_message", "from_intake", "monthly_statistics",
           "open_complaints", "register_complaint", "reopen"]
