"""Webhook endpoints: add and change them (plain functions taking a session and an actor).

They check with ``authorize`` (``webhooks.manage`` and the estate), validate with ``load`` (the same
``EndpointSchema`` as the admin form, the API and the CLI), never commit, and raise ``core`` errors
whose message names the field and the fix. An estate's endpoint receives that estate's events; a
company-wide one (``estate_id`` null) receives every estate's, and only staff of every estate may
add or see it.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from core import (
    PermissionDenied,
    Text,
    ValidationError,
    attributed,
    authorize,
    has_permission,
    is_system,
    load,
    scoped_select,
    visible_estate_ids,
)
from core.models import Estate, StaffUser
from plugins.webhooks.models import Delivery, Endpoint
from plugins.webhooks.schemas import EndpointSchema

EDITABLE = ("url", "events", "active", "description")


def new_secret() -> str:
    """A fresh signing secret (64 hex characters) for an endpoint added without one."""
    return secrets.token_hex(32)


def _may_manage(session: Session, actor: StaffUser | None, estate_id: int | None) -> None:
    if estate_id is not None:
        if session.get(Estate, estate_id) is None:
            raise ValidationError(Text(f"no estate with id {estate_id}", f"没有编号为 {estate_id} 的小区"), field="estate_id")
        authorize(session, actor, "webhooks.manage", estate_id)
        return
    authorize(session, actor, "webhooks.manage")
    if not is_system(session, actor) and visible_estate_ids(session, actor) is not None:
        raise PermissionDenied(Text("a company-wide endpoint (no estate) receives every estate's events: only staff "
                               "of every estate may manage one; choose one of your estates in estate_id", "公司级推送地址（不限小区）会收到所有小区的事件，只有管理全部小区的员工可以设置；请在“小区”中选择您负责的小区"))


@attributed
def create_endpoint(session: Session, actor: StaffUser | None, data: dict) -> Endpoint:
    """Add an endpoint (the ``create_service`` of the admin screen and the API: data in, endpoint out)."""
    data = load(EndpointSchema, data)
    _may_manage(session, actor, data["estate_id"])
    endpoint = Endpoint(estate_id=data["estate_id"], url=data["url"], signing_secret=data["secret"],
                        events=data["events"], active=data["active"], description=data["description"].strip(),
                        created_by_id=actor.id if actor is not None else None)
    session.add(endpoint)
    session.flush()
    return endpoint


@attributed
def update_endpoint(session: Session, actor: StaffUser | None, endpoint: Endpoint, data: dict) -> Endpoint:
    """Change an endpoint's address, events, secret, estate, state or description (the API's
    ``update_service``): only the fields in ``data`` change."""
    _may_manage(session, actor, endpoint.estate_id)
    data = load(EndpointSchema, data, partial=True)
    if "estate_id" in data and data["estate_id"] != endpoint.estate_id:
        _may_manage(session, actor, data["estate_id"])
        endpoint.estate_id = data["estate_id"]
    for key in EDITABLE:
        if key in data:
            setattr(endpoint, key, data[key].strip() if isinstance(data[key], str) else data[key])
    if "secret" in data:
        endpoint.signing_secret = data["secret"]
    session.flush()
    return endpoint


def endpoints_for(session: Session, actor: StaffUser | None) -> list[Endpoint]:
    """The endpoints ``actor`` may see (all of them for the system), by id."""
    stmt = select(Endpoint) if is_system(session, actor) else scoped_select(session, actor, Endpoint)
    return list(session.scalars(stmt.order_by(Endpoint.id)))


def delivery_counts(session: Session, endpoint_ids: list[int]) -> dict[int, dict[str, int]]:
    """``{endpoint id: {status: n}}`` for the given endpoints."""
    out: dict[int, dict[str, int]] = {i: {} for i in endpoint_ids}
    if endpoint_ids:
        rows = session.execute(select(Delivery.endpoint_id, Delivery.status, func.count())
                               .where(Delivery.endpoint_id.in_(endpoint_ids))
                               .group_by(Delivery.endpoint_id, Delivery.status))
        for endpoint_id, status, n in rows:
            out[endpoint_id][status] = n
    return out


def dashboard_cards(actor: StaffUser | None) -> list:
    """A home-page card for staff who see the log: deliveries that failed (after every attempt)."""
    from core import Card  # the web layer: imported only when a home page is drawn

    session = object_session(actor) if actor is not None else None
    if session is None or not has_permission(session, actor, "webhooks.view"):
        return []
    stmt = scoped_select(session, actor, Delivery).where(Delivery.status == "failed")
    failed = session.scalar(select(func.count()).select_from(stmt.subquery()))
    if not failed:
        return []
    return [Card(title="Webhook deliveries failed", title_zh="推送失败", value=failed,
                 url="/admin/webhooks_deliveries/", order=90, level="danger")]
