"""The convenience plugin's public services (what admin, API, CLI, jobs and other plugins call).

Every function takes ``(session, actor, ...)``, checks the actor's permission and estate, validates
its input with the plugin's marshmallow schemas, raises ``core.errors`` with a message naming the
field and the fix, and changes nothing on error. Money goes through ``plugins.billing.services``
only; no function here records a payment privately.
"""

from __future__ import annotations

from plugins.convenience.agreements import (
    create_agreement,
    record_service,
    stop_agreement,
    subscriber_list,
)
from plugins.convenience.catalogue import (
    approve_version,
    create_item,
    create_version,
    open_reviews,
    price_row,
    propose_version,
    publish_version,
    published_version,
    remove_price,
    return_version,
    set_price,
    update_item,
    yearly_review,
)
from plugins.convenience.fees import PREPAY_FEE, SERVICE_FEE
from plugins.convenience.orders import (
    cancel,
    charge,
    close,
    confirm,
    create_order,
    deliver,
    dispatch,
    order_outstanding_fen,
    order_paid,
    return_visit,
    settle_deposit,
    take_prepayment,
)
from plugins.convenience.reports import dashboard_cards, enter_cost, loss_making_items, profitability
from plugins.convenience.statements import (
    build_statement,
    build_statements,
    post_statement,
    statement_outstanding_fen,
)
from plugins.convenience.workflows import charge_due_fen

__all__ = [
    "PREPAY_FEE", "SERVICE_FEE", "approve_version", "build_statement", "build_statements", "cancel", "charge",
    "charge_due_fen", "close", "confirm", "create_agreement", "create_item", "create_order", "create_version",
    "dashboard_cards", "deliver", "dispatch", "enter_cost", "loss_making_items", "open_reviews",
    "order_outstanding_fen", "order_paid", "post_statement", "price_row", "profitability", "propose_version",
    "publish_version", "published_version", "record_service", "remove_price", "return_version", "return_visit",
    "set_price", "settle_deposit", "statement_outstanding_fen", "stop_agreement", "subscriber_list",
    "take_prepayment", "update_item", "yearly_review",
]
