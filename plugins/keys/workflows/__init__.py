"""The keys plugin's workflows (spec 2.12), one module each:

* ``key_set``: ``keys.key_set``, where a key set is (with the developer, sealed, issued, in
  custody, lent, lost, destroyed); its effects keep the registers in step;
* ``handover``: ``keys.handover_batch``, ``received → verified → sealed``;
* ``custody``: ``keys.custody_agreement``, ``active → ended``;
* ``locks``: ``keys.lock_change``, ``open → done | cancelled``;
* ``inventory``: ``keys.inventory_count``, ``open → closed``.

Guards accept the plain values an API call sends, so a button in the admin or
``POST .../transitions/<name>`` does exactly what the service functions do.
"""

from __future__ import annotations

from core import Workflow
from plugins.keys.workflows.custody import custody_workflow
from plugins.keys.workflows.handover import handover_workflow
from plugins.keys.workflows.inventory import inventory_workflow
from plugins.keys.workflows.key_set import key_set_workflow
from plugins.keys.workflows.locks import lock_change_workflow


def workflows() -> list[Workflow]:
    """Every workflow of the plugin (the key set's first)."""
    return [key_set_workflow(), handover_workflow(), custody_workflow(), lock_change_workflow(),
            inventory_workflow()]
