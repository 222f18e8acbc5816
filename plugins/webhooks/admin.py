"""The admin screens of the webhooks (menu 事件推送): endpoints, editable by staff holding
``webhooks.manage``, and the delivery log, read-only."""

from __future__ import annotations

from core import AdminViewSpec
from plugins.webhooks.endpoints import create_endpoint
from plugins.webhooks.models import Delivery, Endpoint
from plugins.webhooks.schemas import DeliverySchema, EndpointSchema

# Endpoints are set up once by an administrator, not used daily: they sit in the shared settings menu.
SETTINGS = ("Settings", "系统设置")


def admin_views() -> list[AdminViewSpec]:
    return [
        AdminViewSpec(model=Endpoint, schema=EndpointSchema, name="webhooks_endpoints",
                      label="Webhook endpoints", label_zh="事件推送地址", menu=SETTINGS,
                      view_permission="webhooks.view", edit_permission="webhooks.manage",
                      list_columns=("url", "estate_id", "events", "active", "description", "created_at"),
                      search_fields=("url", "description"), filters=("estate_id", "active"),
                      create_service=create_endpoint, order=70),
        AdminViewSpec(model=Delivery, schema=DeliverySchema, name="webhooks_deliveries",
                      label="Webhook delivery log", label_zh="事件推送记录", menu=SETTINGS,
                      view_permission="webhooks.view", edit_permission=None,
                      list_columns=("created_at", "event", "record_type", "record_id", "endpoint_id", "status",
                                    "attempts", "last_status_code", "next_attempt_at", "delivered_at"),
                      search_fields=("uid", "record_type"), filters=("status", "event", "estate_id"),
                      can_create=False, can_edit=False, order=71),
    ]
