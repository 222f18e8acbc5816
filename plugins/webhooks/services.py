"""The webhooks' public contract: what another plugin may call (``depends = ["webhooks"]``)."""

from plugins.webhooks.delivery import deliver_due, sign
from plugins.webhooks.endpoints import create_endpoint, update_endpoint
from plugins.webhooks.events import EVENTS, enqueue

__all__ = ["EVENTS", "create_endpoint", "deliver_due", "enqueue", "sign", "update_endpoint"]
