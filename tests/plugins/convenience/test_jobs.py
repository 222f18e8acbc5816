"""Scheduled jobs: the yearly price-list review reminder (每年1月拟定价格表)."""

from __future__ import annotations

from plugins.convenience import services


def test_yearly_review_is_a_registered_daily_job(wuye):
    job = wuye.registry.jobs["convenience.yearly_review"]
    assert job.schedule == "daily"
    assert job.func is services.yearly_review
