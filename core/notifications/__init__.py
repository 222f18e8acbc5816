"""Notifications (通知): events, templates, audiences, channels and the delivery log.

Public API (also in the plugin kit, ``from core import ...``): ``send_notification``, ``Audience``,
``NotificationEvent``, ``Channel``. See docs/notifications.md.

This module fixes the contract other features build on (escalations, incidents, plugins); the
machinery lives in the modules of this package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# What core.builtin_hooks registers for this feature (filled in by the feature's modules).
PERMISSIONS: tuple = ()
JOBS: tuple = ()
EVENTS: tuple = ()
CHANNELS: tuple = ()


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
    * ``query``: ``query(session) -> iterable of party ids`` for anything else (units in arrears...).
    """

    staff_ids: tuple[int, ...] = ()
    roles: tuple[str, ...] = ()
    estate_id: int | None = None
    party_ids: tuple[int, ...] = ()
    unit_ids: tuple[int, ...] = ()
    building_ids: tuple[int, ...] = ()
    estate_ids: tuple[int, ...] = ()
    query: Callable[..., Iterable[int]] | None = None


def send_notification(session, event: str, audience: Audience, *, context: dict | None = None, record=None,
                      estate_id: int | None = None, channels: tuple[str, ...] | None = None, actor=None) -> list:
    """Queue ``event`` for everyone in ``audience``: one delivery row per recipient and channel, rendered
    from the event's template in the recipient's language. Never sends anything itself (the job
    ``core.deliver_notifications`` does), so a request never waits on a mail server. ``record`` links the
    deliveries to the record they are about (shown on it, scoped like it); ``channels`` overrides the
    event's defaults. Returns the delivery rows (flushed). Unknown event: ``ValidationError``.
    """
    from core.notifications.sending import send

    return send(session, event, audience, context=context, record=record, estate_id=estate_id,
                channels=channels, actor=actor)
