"""Scheduled jobs of the convenience plugin."""

from __future__ import annotations

from core import Job
from plugins.convenience.catalogue import yearly_review


def jobs() -> list[Job]:
    return [Job("convenience.yearly_review", "daily", yearly_review,
                "Each January, remind every estate to review its convenience price list (每年1月拟定价格表)")]
