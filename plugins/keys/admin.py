"""Admin screens of the keys plugin (menu 钥匙托管), generated from these specs by core.web."""

from __future__ import annotations

from core.web.specs import AdminViewSpec
from plugins.keys import api
from plugins.keys.models import (
    CustodyAgreement,
    FacilityRoom,
    HandoverBatch,
    InventoryCount,
    KeyLoan,
    KeySet,
    LockChangeTask,
)
from plugins.keys.schemas import (
    CustodyAgreementSchema,
    FacilityRoomSchema,
    HandoverBatchSchema,
    InventoryCountSchema,
    KeyLoanSchema,
    KeySetSchema,
    LockChangeTaskSchema,
)


def admin_specs() -> list[AdminViewSpec]:
    """One screen per register; workflow models get their status bar and transition buttons."""
    return [
        AdminViewSpec(KeySet, KeySetSchema, "keys_key_sets", "Key register", "钥匙登记", "keys.view", "keys.manage",
                      list_columns=("tag_no", "unit_id", "facility_room_id", "key_type", "copies", "cabinet_slot",
                                    "status"),
                      search_fields=("tag_no", "cabinet_slot"), filters=("estate_id", "status"),
                      lookups={"unit_id": "unit", "facility_room_id": "facility_room"},
                      workflow="keys.key_set", create_service=api.create_key_set, order=10,
                      column_labels={"tag_no": ("Tag no.", "钥匙牌号"), "cabinet_slot": ("Cabinet slot", "格位")}),
        AdminViewSpec(KeyLoan, KeyLoanSchema, "keys_loans", "Lending register", "钥匙领(借)用登记表", "keys.view",
                      "keys.lend",
                      list_columns=("number", "key_set_id", "kind", "borrower_name", "borrower_company", "purpose",
                                    "issued_at", "expected_return_at", "returned_at", "status",
                                    "flagged_overdue_at"),
                      search_fields=("number", "borrower_name", "borrower_company"),
                      filters=("estate_id", "status", "kind", "purpose"), sensitive_fields=api.SENSITIVE,
                      lookups={"key_set_id": "key_set", "approved_by_id": "staff", "escort_id": "staff"}, can_edit=False, create_service=api.create_loan,
                      order=20),
        AdminViewSpec(CustodyAgreement, CustodyAgreementSchema, "keys_custody_agreements", "Custody agreements",
                      "钥匙托管书", "keys.view", "keys.custody",
                      list_columns=("number", "unit_id", "owner_id", "reason", "start_on", "end_on", "status"),
                      search_fields=("number",), filters=("estate_id", "status", "reason"),
                      lookups={"unit_id": "unit", "owner_id": "party", "key_set_id": "key_set",
                               "witnessed_by_id": "staff"}, workflow="keys.custody_agreement",
                      can_edit=False, create_service=api.create_custody_agreement, order=30),
        AdminViewSpec(HandoverBatch, HandoverBatchSchema, "keys_handover_batches", "Developer handover",
                      "开发商钥匙移交", "keys.view", "keys.manage",
                      list_columns=("number", "phase", "developer_name", "received_at", "status", "seal_no"),
                      search_fields=("number", "seal_no"), filters=("estate_id", "status"),
                      workflow="keys.handover_batch", can_create=False, can_edit=False, order=40),
        AdminViewSpec(InventoryCount, InventoryCountSchema, "keys_inventory_counts", "Key inventory", "钥匙盘点",
                      "keys.view", "keys.inventory",
                      list_columns=("period", "status", "expected_count", "found_count", "discrepancy_count",
                                    "closed_at"),
                      filters=("estate_id", "status"), workflow="keys.inventory_count", can_edit=False,
                      create_service=api.open_count, order=50),
        AdminViewSpec(LockChangeTask, LockChangeTaskSchema, "keys_lock_change_tasks", "Lock changes", "换锁",
                      "keys.view", "keys.manage",
                      list_columns=("number", "key_set_id", "status", "reported_at", "done_at", "new_copies"),
                      search_fields=("number",), filters=("estate_id", "status"), workflow="keys.lock_change",
                      can_create=False, can_edit=False, order=60),
        AdminViewSpec(FacilityRoom, FacilityRoomSchema, "keys_facility_rooms", "Facility rooms", "设备房/功能房",
                      "keys.view", "keys.manage", list_columns=("name", "kind", "location", "active"),
                      search_fields=("name",), filters=("estate_id", "kind", "active"),
                      create_service=api.create_facility_room, order=70),
    ]
