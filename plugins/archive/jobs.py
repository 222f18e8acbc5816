"""Scheduled jobs of the archive plugin (run by ``wuye jobs run``; ``func(session, now)``)."""

from __future__ import annotations

from core import Audience, Job, as_system, estate_today, send_notification, utcnow
from core.models import Estate
from plugins.archive.census import due_reminders

SUPERVISORS = ("cs_supervisor", "cs_center_manager")


def census_reminder(session, now=None) -> dict:
    """Tell the CS supervisors of each estate when a census round is past due with unchecked units,
    or when the current period has no round yet (at most once a day per round)."""
    now = now or utcnow()
    sent = 0
    with as_system(session):
        for item in due_reminders(session, estate_today(session, None, now=now)):
            estate = session.get(Estate, item["estate_id"])
            today = estate_today(session, estate, now=now)
            rnd = item["round"]
            if rnd is not None:
                if rnd.reminded_on == today:
                    continue
                rnd.reminded_on = today
                what, what_en = f"已过期，尚有 {item['pending']} 户未普查", f"past due, {item['pending']} units unchecked"
            else:
                what, what_en = "本期尚未开展，请开展普查", "not started yet; please open the round"
            if session.info.get("wuye") is not None:  # no instance: nothing to deliver through
                send_notification(session, "archive.census_due", Audience(roles=SUPERVISORS, estate_id=estate.id),
                                  context={"estate": estate.name, "period": item["period"], "what": what,
                                           "what_en": what_en}, estate_id=estate.id, record=rnd, now=now)
            sent += 1
    session.flush()
    return {"reminders": sent}


def jobs() -> list[Job]:
    """The plugin's scheduled jobs (``wuye_scheduled_jobs``)."""
    return [Job("archive.census_reminder", "daily", census_reminder,
                "Remind the CS supervisors of household census rounds (住户普查) due or past due")]
