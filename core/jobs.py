"""Scheduled jobs that plugins contribute through ``wuye_scheduled_jobs``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    """A job the scheduler runs. ``schedule`` is one of ``every 5 minutes``, ``hourly``, ``daily``,
    ``monthly`` (run by ``wuye jobs run`` from cron or a systemd timer); ``func(session, now)`` does
    the work in one transaction and returns a short summary dict."""

    name: str
    schedule: str
    func: Callable
    description: str = ""
