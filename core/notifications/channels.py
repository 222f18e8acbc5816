"""Channels (发送渠道): how a delivery reaches its recipient.

Core ships ``inapp`` (the staff inbox: the delivery row is the message), ``email`` (SMTP, settings
``[notifications.smtp]``), and ``sms`` / ``wechat`` through a :class:`Gateway` chosen by
``[notifications.sms] gateway`` (default ``log``: :class:`LogGateway` writes the message to the
``wuye.notifications`` logger and succeeds). Plugins add channels with ``wuye_notification_channels``
(subclass :class:`Channel`) and gateways with :func:`register_gateway`.
"""

from __future__ import annotations

import logging
import smtplib
import ssl as ssl_module
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

log = logging.getLogger("wuye.notifications")


class Channel:
    """A way of delivering notifications.

    ``name`` (``inapp``, ``email``, ``<plugin>_<name>``...), ``label`` / ``label_zh`` for screens.
    :meth:`address_of` says where a recipient is reached (None: not on this channel, the delivery is
    logged as ``skipped``); :meth:`send` delivers one row (a ``core_notifications`` row with
    ``address``, ``subject``, ``body``, ``language``) with the ``[notifications]`` settings and raises
    on failure (the attempt is recorded and retried with backoff). ``instant`` channels (in-app) are
    delivered when queued: their row is the message.
    """

    name: str = ""
    label: str = ""
    label_zh: str = ""
    instant: bool = False

    def address_of(self, recipient) -> str | None:
        """Where ``recipient`` (a :class:`core.notifications.audience.Recipient`) is reached, or None."""
        return None

    def send(self, delivery, settings: dict) -> None:
        """Deliver ``delivery``; raise to mark the attempt failed."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<Channel {self.name}>"


class InAppChannel(Channel):
    """The staff inbox (我的消息): the delivery row is the message; owners and tenants have no inbox."""

    name, label, label_zh, instant = "inapp", "In-app message", "站内消息", True

    def address_of(self, recipient) -> str | None:
        return "" if recipient.kind == "staff" else None

    def send(self, delivery, settings: dict) -> None:  # nothing to do: the row is shown in the inbox
        return None


class EmailChannel(Channel):
    """E-mail over SMTP (``[notifications.smtp]``: host, port, starttls or ssl, username/password)."""

    name, label, label_zh = "email", "E-mail", "电子邮件"

    def address_of(self, recipient) -> str | None:
        return (recipient.email or "").strip() or None

    def send(self, delivery, settings: dict) -> None:
        smtp = settings["smtp"]
        if not smtp.get("host"):
            raise RuntimeError("no mail server: set [notifications.smtp] host in the config file")
        msg = EmailMessage()
        msg["From"] = smtp["from_address"]
        msg["To"] = delivery.address
        msg["Subject"] = delivery.subject
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = make_msgid(domain="wuye")
        msg.set_content(delivery.body or "")
        timeout = smtp.get("timeout", 10)
        if smtp.get("ssl"):
            client = smtplib.SMTP_SSL(smtp["host"], smtp["port"], timeout=timeout,
                                      context=ssl_module.create_default_context())
        else:
            client = smtplib.SMTP(smtp["host"], smtp["port"], timeout=timeout)
        with client:
            if smtp.get("starttls") and not smtp.get("ssl"):
                client.starttls(context=ssl_module.create_default_context())
            if smtp.get("username"):
                client.login(smtp["username"], smtp.get("password", ""))
            client.send_message(msg)


class Gateway:
    """A service that sends short messages for a channel (an SMS provider, a WeChat template-message
    relay). ``send(channel, address, subject, body)`` raises on failure."""

    def __init__(self, settings: dict | None = None):
        self.settings = settings or {}

    def send(self, channel: str, address: str, subject: str, body: str) -> None:
        raise NotImplementedError


class LogGateway(Gateway):
    """The default gateway: writes the message to the ``wuye.notifications`` logger and succeeds, so
    a company sees what would be sent before it signs up with a provider."""

    def send(self, channel: str, address: str, subject: str, body: str) -> None:
        log.info("%s to %s: %s | %s", channel, address, subject, body)


GATEWAYS: dict[str, type[Gateway]] = {"log": LogGateway}


def register_gateway(name: str, gateway: type[Gateway]) -> None:
    """Make ``gateway`` (a :class:`Gateway` subclass) choosable as ``[notifications.<channel>] gateway = name``."""
    GATEWAYS[name] = gateway


class GatewayChannel(Channel):
    """A channel sent through the gateway named in ``[notifications.<name>] gateway``.

    SMS goes to the staff member's ``mobile`` or the party's ``phone``; WeChat template messages
    are addressed by the same phone number (the gateway maps it to the follower bound to it).
    """

    def __init__(self, name: str, label: str, label_zh: str):
        self.name, self.label, self.label_zh = name, label, label_zh

    def address_of(self, recipient) -> str | None:
        return (recipient.mobile or "").strip() or None

    def send(self, delivery, settings: dict) -> None:
        section = settings.get(self.name) or {}
        name = section.get("gateway", "log")
        gateway = GATEWAYS.get(name)
        if gateway is None:
            raise RuntimeError(f"unknown gateway {name!r} in [notifications.{self.name}]; "
                               f"known: {', '.join(sorted(GATEWAYS))}")
        gateway(section).send(self.name, delivery.address, delivery.subject, delivery.body)


CORE_CHANNELS: tuple[Channel, ...] = (
    InAppChannel(), EmailChannel(), GatewayChannel("sms", "SMS", "短信"),
    GatewayChannel("wechat", "WeChat", "微信"),
)
