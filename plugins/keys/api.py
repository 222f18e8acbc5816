"""API resources of the keys plugin under ``/api/v1/keys/...``.

Creating a loan lends the key (all the lending rules apply); returns, losses, custody and the
other status changes are workflow transitions: ``POST /api/v1/keys/key-sets/<id>/transitions/return``
with ``{"condition": "intact", "door_closed": true, "contents_intact": true}`` and so on.
"""

from __future__ import annotations

from core import ApiResourceSpec
from plugins.keys import services
from plugins.keys.models import (
    CustodyAgreement,
    FacilityRoom,
    HandoverBatch,
    InventoryCount,
    InventoryLine,
    KeyLoan,
    KeySet,
    LockChangeTask,
)
from plugins.keys.schemas import (
    CustodyAgreementSchema,
    FacilityRoomSchema,
    HandoverBatchSchema,
    InventoryCountSchema,
    InventoryLineSchema,
    KeyLoanSchema,
    KeySetSchema,
    LockChangeTaskSchema,
)

SENSITIVE = ("borrower_id_number", "borrower_phone")


# Adapters from validated schema data to the services (used by the admin screens too).

def create_facility_room(session, actor, data: dict):
    data = dict(data)
    active = data.pop("active", True)  # a room is registered in use; the flag is for retiring it later
    room = services.create_facility_room(session, actor, **data)
    room.active = active
    return room


def create_key_set(session, actor, data: dict):
    return services.create_key_set(session, actor, **data)


def update_key_set(session, actor, record, data: dict):
    return services.update_key_set(session, actor, record, **data)


def create_handover_batch(session, actor, data: dict):
    return services.receive_handover_batch(session, actor, **data)


def create_custody_agreement(session, actor, data: dict):
    return services.create_custody_agreement(session, actor, **data)


def create_loan(session, actor, data: dict):
    key_set = data.pop("key_set_id")
    return services.lend_key(session, actor, key_set, **data)


def open_count(session, actor, data: dict):
    return services.open_inventory_count(session, actor, **data)


def record_found(session, actor, data: dict):
    return services.record_found(session, actor, data["count_id"], tag_no=data["tag_no"],
                                 slot=data.get("found_slot", ""), remarks=data.get("remarks", ""))


def api_resources() -> list[ApiResourceSpec]:
    """The plugin's REST resources."""
    return [
        ApiResourceSpec(model=FacilityRoom, schema=FacilityRoomSchema, path="keys/facility-rooms", view_permission="keys.view", edit_permission="keys.manage",
                        filters=("estate_id", "kind", "active"), create_service=create_facility_room),
        ApiResourceSpec(model=KeySet, schema=KeySetSchema, path="keys/key-sets", view_permission="keys.view", edit_permission="keys.manage",
                        filters=("estate_id", "unit_id", "facility_room_id", "status", "tag_no", "cabinet_slot"),
                        workflow="keys.key_set", create_service=create_key_set, update_service=update_key_set),
        ApiResourceSpec(model=HandoverBatch, schema=HandoverBatchSchema, path="keys/handover-batches", view_permission="keys.view", edit_permission="keys.manage",
                        filters=("estate_id", "status"), workflow="keys.handover_batch", can_update=False,
                        create_service=create_handover_batch),
        ApiResourceSpec(model=CustodyAgreement, schema=CustodyAgreementSchema, path="keys/custody-agreements", view_permission="keys.view",
                        edit_permission="keys.custody", filters=("estate_id", "unit_id", "owner_id", "status", "reason"),
                        workflow="keys.custody_agreement", can_update=False, create_service=create_custody_agreement),
        ApiResourceSpec(model=KeyLoan, schema=KeyLoanSchema, path="keys/loans", view_permission="keys.view", edit_permission="keys.lend",
                        filters=("estate_id", "key_set_id", "status", "kind", "purpose"), can_update=False,
                        create_service=create_loan, sensitive_fields=SENSITIVE),
        ApiResourceSpec(model=LockChangeTask, schema=LockChangeTaskSchema, path="keys/lock-changes", view_permission="keys.view", edit_permission="keys.manage",
                        filters=("estate_id", "key_set_id", "status"), workflow="keys.lock_change",
                        can_create=False, can_update=False),
        ApiResourceSpec(model=InventoryCount, schema=InventoryCountSchema, path="keys/inventory-counts", view_permission="keys.view", edit_permission="keys.inventory",
                        filters=("estate_id", "period", "status"), workflow="keys.inventory_count",
                        can_update=False, create_service=open_count),
        ApiResourceSpec(model=InventoryLine, schema=InventoryLineSchema, path="keys/inventory-lines", view_permission="keys.view", edit_permission="keys.inventory",
                        filters=("count_id", "result", "tag_no"), can_update=False, create_service=record_found),
    ]
