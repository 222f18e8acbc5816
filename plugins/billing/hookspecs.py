"""Hookspecs that billing publishes for the plugins that depend on it (via ``wuye_add_hookspecs``)."""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("wuye")


@hookspec
def wuye_billing_fee_items():
    """Return a list of :class:`plugins.billing.services.FeeItemDef` the plugin charges for.

    Called when billing seeds its reference data (``wuye db upgrade``, ``wuye demo``, the ``seeded``
    test fixture, or ``plugins.billing.services.ensure_fee_items``). Each definition becomes a fee
    item (created when its code is missing; an item staff already edited is left alone), so that
    ``post_charge(fee_item_code=...)`` finds it. Results of all plugins are concatenated.
    """


@hookspec
def wuye_billing_payment_recorded(session, payment, actor):
    """Called when billing records a payment (实收) or its reversal (红冲), in the same transaction.

    ``payment`` is the flushed :class:`plugins.billing.models.Payment` with its allocations; a
    reversal has ``reverses_id`` set and negative amounts. Called before the receipt is numbered, so
    ``receipt_no`` is not known yet. Implement it with ``@hookimpl(optionalhook=True)`` and list
    billing in ``uses`` (the webhooks plugin queues its ``billing.payment`` deliveries here). Raising
    rolls the payment back. Returns nothing.
    """
