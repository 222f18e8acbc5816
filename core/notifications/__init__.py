"""Notifications (通知): events, templates, audiences, channels and the delivery log.

Public API (also in the plugin kit, ``from core import ...``): ``send_notification``, ``Audience``,
``NotificationEvent``, ``Channel``. See docs/notifications.md.

This module fixes the contract other features build on (escalations, incidents, plugins); the
machinery lives in the modules of this package: ``sending`` (queueing), ``audience`` (recipients),
``templates`` (sandboxed Jinja2), ``channels`` (in-app, e-mail, SMS/WeChat gateways), ``delivery``
(the job with retries), ``registry`` (events and channels of an instance), ``inbox`` (unread
in-app messages as to-dos).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NotificationEvent:
    """Something people are told about: ``name`` (``<plugin>.<event>``, e.g. ``core.deadline_escalated``),
    labels, default ``templates`` per language (``{"zh_CN": (subject, body), "en": (subject, body)}``,
    Jinja2 text rendered in a sandbox with the context passed to :func:`send_notification`) and the
    ``channels`` it goes out on by default (``inapp``, ``email``, ``sms``, ``wechat``). Companies edit
    the templates in the admin; the defaults here are used until they do.
    """

    name: str
    label: str
    label_zh: str = ""
    templates: dict[str, tuple[str, str]] = field(default_factory=dict)
    channels: tuple[str, ...] = ("inapp",)


@dataclass(frozen=True)
class Audience:
    """Who receives a notification; the fields add up (union), duplicates are sent once.

    * ``staff_ids``: these staff users;
    * ``roles``: staff holding any of these roles for ``estate_id`` (assigned to that estate, or
      company-wide); with ``estate_id=None``, every holder of the roles;
    * ``party_ids``: these owners, tenants, household members;
    * ``unit_ids`` / ``building_ids`` / ``estate_ids``: the current owners and tenants of those units,
      of the units in those buildings, of every unit of those estates;
    * ``query``: ``query(session) -> iterable of party ids`` for anything else (units in arrears...);
    * ``phones``: mobile numbers of people known by nothing else (a walk-in caller who left only a
      phone): reached by SMS (and WeChat), skipped on channels that need an account or an e-mail;
      a number that is also a named owner's or tenant's phone is told once, as that party.
    """

    staff_ids: tuple[int, ...] = ()
    roles: tuple[str, ...] = ()
    estate_id: int | None = None
    party_ids: tuple[int, ...] = ()
    unit_ids: tuple[int, ...] = ()
    building_ids: tuple[int, ...] = ()
    estate_ids: tuple[int, ...] = ()
    query: Callable[..., Iterable[int]] | None = None
    phones: tuple[str, ...] = ()


def send_notification(session, event: str, audience: Audience, *, context: dict | None = None, record=None,
                      estate_id: int | None = None, channels: tuple[str, ...] | None = None, actor=None,
                      now=None) -> list:
    """Queue ``event`` for everyone in ``audience``: one delivery row per recipient and channel, rendered
    from the event's template in the recipient's language. Never sends anything itself (the job
    ``core.deliver_notifications`` does), so a request never waits on a mail server. ``record`` links the
    deliveries to the record they are about (shown on it, scoped like it); ``channels`` overrides the
    event's defaults; ``now`` (default: the current time) stamps the rows and is when queued ones are
    due. Returns the delivery rows (flushed). Unknown event or channel, a template error: ``ValidationError``
    and nothing is queued.
    """
    from core.notifications.sending import send

    return send(session, event, audience, context=context, record=record, estate_id=estate_id,
                channels=channels, actor=actor, now=now)


# What core.builtin_hooks registers for this feature (permissions, the delivery job, core's own
# event, the built-in channels). Imported last: these modules use the classes above.
from core.jobs import Job  # noqa: E402
from core.notifications.channels import CORE_CHANNELS, Channel, Gateway, LogGateway, register_gateway  # noqa: E402,F401
from core.notifications.delivery import deliver_due  # noqa: E402
from core.notifications.permissions import PERMISSIONS  # noqa: E402,F401

JOBS: tuple = (Job("core.deliver_notifications", "every 1 minutes", deliver_due,
                   "Send queued notifications (e-mail, SMS, WeChat); retry failures with backoff"),)
EVENTS: tuple = (
    NotificationEvent(
        "core.message", "Message from the management office", "管理处消息",
        templates={"zh_CN": ("{{ subject }}", "{{ recipient }}，您好：\n{{ body }}"),
                   "en": ("{{ subject }}", "Dear {{ recipient }},\n{{ body }}")},
        channels=("inapp",)),
)
CHANNELS: tuple = CORE_CHANNELS
