"""Queueing a notification (:func:`send`): one delivery row per recipient and channel, rendered now.

Nothing is sent from here, so a request never waits on a mail server or a gateway: in-app rows are
delivered at once (the row is the message), the others are ``queued`` for the job
``core.deliver_notifications``. Every text is rendered before any row is added, so a template error
queues nothing.
"""

from __future__ import annotations

import datetime as dt

from core.clock import utcnow
from core.errors import ValidationError
from core.models.notification import DeliveryStatus, Notification
from core.notifications import audience as audiences
from core.notifications import registry
from core.notifications.settings import default_language
from core.notifications.templates import company_templates, render, text_for


def _estate_of(estate_id, record, audience) -> int | None:
    if estate_id is not None:
        return estate_id
    if record is not None and getattr(record, "estate_id", None) is not None:
        return record.estate_id
    if audience.estate_id is not None:
        return audience.estate_id
    return audience.estate_ids[0] if len(audience.estate_ids) == 1 else None


def send(session, event: str, audience, *, context: dict | None = None, record=None, estate_id: int | None = None,
         channels: tuple[str, ...] | None = None, actor=None, now: dt.datetime | None = None) -> list[Notification]:
    """Queue ``event`` for ``audience`` (see :func:`core.notifications.send_notification`)."""
    spec = registry.get_event(session, event)
    names = tuple(channels) if channels is not None else tuple(spec.channels)
    if not names:
        raise ValidationError(f"no channel to send {event!r} on: pass channels=('inapp', ...)", field="channels")
    chosen = [registry.get_channel(session, n) for n in dict.fromkeys(names)]
    now = now or utcnow()
    recipients = audiences.resolve(session, audience, default_language=default_language(session), today=now.date())
    company = company_templates(session, event)
    base = {"event": event, "record": record_label(record) if record is not None else "", **(context or {})}
    estate = _estate_of(estate_id, record, audience)
    table = getattr(record, "__tablename__", "") if record is not None else ""
    record_id = getattr(record, "id", None) if record is not None else None
    rows: list[Notification] = []
    for person in recipients:
        values = {"recipient": person.name, **base}
        for channel in chosen:
            address = channel.address_of(person)
            row = Notification(event=event, channel=channel.name, language=person.language,
                               staff_id=person.id if person.kind == "staff" else None,
                               party_id=person.id if person.kind == "party" else None,
                               address=address or "", record_table=table, record_id=record_id, estate_id=estate,
                               created_at=now, attempts=0, last_error="")
            if address is None:
                row.status = DeliveryStatus.skipped
                row.last_error = _no_address(channel.name, person)
            else:
                subject, body = text_for(spec, person.language, channel.name, company)
                row.subject = render(subject, values, event=event, language=person.language, part="subject")[:400]
                row.body = render(body, values, event=event, language=person.language)
                if channel.instant:
                    row.status, row.sent_at = DeliveryStatus.delivered, now
                else:
                    row.status, row.next_attempt_at = DeliveryStatus.queued, now
            rows.append(row)
    session.add_all(rows)
    session.flush()
    return rows


def _no_address(channel: str, person) -> str:
    who = "staff member" if person.kind == "staff" else "owner/tenant"
    if channel == "inapp":
        return f"{who} {person.name} has no in-app inbox (only staff do)"
    field = {"email": "e-mail", "sms": "mobile", "wechat": "mobile"}.get(channel, channel)
    return f"{who} {person.name} has no {field} on file for the {channel} channel"


def record_label(record, table: str = "", record_id: int | None = None) -> str:
    """How a message names a record: its ``__str__`` when the model has one, else its ``number``
    (RP-2026-000123), else ``table #id``; never a Python object's repr."""
    if record is not None:
        if type(record).__str__ is not object.__str__:
            return str(record)
        number = getattr(record, "number", None)
        if number:
            return str(number)
    if record is not None and not table:
        table, record_id = getattr(record, "__tablename__", type(record).__name__), getattr(record, "id", None)
    return f"{table} #{record_id}"
