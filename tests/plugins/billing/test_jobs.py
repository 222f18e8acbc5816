"""Billing's scheduled job: the daily arrears follow-up (the work itself is tested in test_dunning)."""

from __future__ import annotations

from core import Job
from plugins.billing.dunning import arrears_followup
from plugins.billing.jobs import jobs


def test_the_arrears_followup_runs_daily():
    job = jobs()[0]
    assert isinstance(job, Job)
    assert (job.name, job.schedule, job.func) == ("billing.arrears_followup", "daily", arrears_followup)
    assert "15 days" in job.description
