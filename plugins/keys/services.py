"""The keys plugin's business operations (public API for other plugins and integrators).

Every function takes ``(session, actor, ...)``, checks the actor's permission and estate, checks
its input and raises a ``core.errors`` error naming the field and the fix, changing nothing, or
does the work in the caller's transaction (the caller commits). A key set's status changes only
through the workflow engine (``keys.key_set``); these functions validate and then apply the
transition, so registers and history stay in step.

The move-in plugin (which depends on keys) issues the keys with ``issue_keys_at_move_in``, the
owner or his agent with a power of attorney present: see docs/plugins/keys.md.
"""

from plugins.keys.agents import Agent, check_agent
from plugins.keys.custody import (
    create_custody_agreement,
    end_custody_agreement,
    issue_to_owner,
    release_custody,
    take_into_custody,
    take_spare_into_custody,
)
from plugins.keys.handover import (
    check_handover_line,
    handover_discrepancies,
    receive_handover_batch,
    seal_handover_batch,
)
from plugins.keys.inventory import (
    close_inventory_count,
    current_period,
    inventory_report,
    monthly_inventory_reminder,
    open_inventory_count,
    record_found,
)
from plugins.keys.lending import flag_overdue_loans, lend_key, overdue_loans, return_key
from plugins.keys.locks import cancel_lock_change, complete_lock_change, report_lost
from plugins.keys.movein import issue_keys_at_move_in
from plugins.keys.register import (
    create_facility_room,
    create_key_set,
    destroy_key_set,
    get_key_set,
    key_sets_of_unit,
    receive_from_developer,
    seal_key_set,
    update_key_set,
)
from plugins.keys.workflows.key_set import active_agreement, open_loan

__all__ = [
    "Agent",
    "active_agreement",
    "cancel_lock_change",
    "check_agent",
    "check_handover_line",
    "close_inventory_count",
    "complete_lock_change",
    "create_custody_agreement",
    "create_facility_room",
    "create_key_set",
    "current_period",
    "destroy_key_set",
    "end_custody_agreement",
    "flag_overdue_loans",
    "get_key_set",
    "handover_discrepancies",
    "inventory_report",
    "issue_keys_at_move_in",
    "issue_to_owner",
    "key_sets_of_unit",
    "lend_key",
    "monthly_inventory_reminder",
    "open_inventory_count",
    "open_loan",
    "overdue_loans",
    "receive_from_developer",
    "receive_handover_batch",
    "record_found",
    "release_custody",
    "report_lost",
    "return_key",
    "seal_handover_batch",
    "seal_key_set",
    "take_into_custody",
    "take_spare_into_custody",
    "update_key_set",
]
