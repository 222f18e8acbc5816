"""Scheduled jobs of the keys plugin (run by ``wuye jobs run``; ``func(session, now)``)."""

from __future__ import annotations

from core import Job, as_system
from plugins.keys import inventory, lending


def overdue_returns(session, now=None) -> dict:
    """Flag loans past their expected return (sets ``flagged_overdue_at``); returns a summary."""
    return lending.flag_overdue_loans(session, now)


def monthly_inventory_reminder(session, now=None) -> dict:
    """Open this month's key inventory for every estate that holds keys and has none yet."""
    with as_system(session):
        return inventory.monthly_inventory_reminder(session, now)


def jobs() -> list[Job]:
    """The plugin's scheduled jobs (``wuye_scheduled_jobs``)."""
    return [
        Job("keys.overdue_returns", "every 15 minutes", overdue_returns,
            "Flag key loans not returned by their expected time (借出超时)"),
        Job("keys.monthly_inventory_reminder", "daily", monthly_inventory_reminder,
            "Open the month's key inventory (钥匙盘点) for each estate that has not started it"),
    ]
