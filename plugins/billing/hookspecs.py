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
