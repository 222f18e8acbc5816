"""Admin screens of the keys plugin (menu 钥匙托管), generated from these specs by core.web."""

from __future__ import annotations

from core import AdminViewSpec
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


def admin_views() -> list[AdminViewSpec]:
    """One screen per register; workflow models get their status bar and transition buttons."""
    return [
        AdminViewSpec(model=KeySet, schema=KeySetSchema, name="keys_key_sets", label="Key register", label_zh="钥匙登记", view_permission="keys.view", edit_permission="keys.manage",
                      list_columns=("tag_no", "unit_id", "facility_room_id", "key_type", "copies", "cabinet_slot",
                                    "status"),
                      search_fields=("tag_no", "cabinet_slot"), filters=("estate_id", "status"),
                      lookups={"unit_id": "unit", "facility_room_id": "facility_room"},
                      workflow="keys.key_set", create_service=api.create_key_set, order=10,
                      column_labels={"tag_no": ("Tag no.", "钥匙牌号"), "cabinet_slot": ("Cabinet slot", "格位")}),
        AdminViewSpec(model=KeyLoan, schema=KeyLoanSchema, name="keys_loans", label="Lending register", label_zh="钥匙领(借)用登记表", view_permission="keys.view",
                      edit_permission="keys.lend",
                      list_columns=("number", "key_set_id", "kind", "borrower_name", "by_agent", "borrower_company", "purpose",
                                    "issued_at", "expected_return_at", "returned_at", "status",
                                    "flagged_overdue_at"),
                      search_fields=("number", "borrower_name", "borrower_company"),
                      filters=("estate_id", "status", "kind", "purpose"), sensitive_fields=api.SENSITIVE,
                      lookups={"key_set_id": "key_set", "approved_by_id": "staff", "escort_id": "staff"}, can_edit=False, create_service=api.create_loan,
                      order=20),
        AdminViewSpec(model=CustodyAgreement, schema=CustodyAgreementSchema, name="keys_custody_agreements", label="Custody agreements",
                      label_zh="钥匙托管书", view_permission="keys.view", edit_permission="keys.custody",
                      list_columns=("number", "unit_id", "owner_id", "reason", "start_on", "end_on", "status"),
                      search_fields=("number",), filters=("estate_id", "status", "reason"),
                      lookups={"unit_id": "unit", "owner_id": "party", "key_set_id": "key_set",
                               "witnessed_by_id": "staff"}, workflow="keys.custody_agreement",
                      can_edit=False, create_service=api.create_custody_agreement, order=30),
        AdminViewSpec(model=HandoverBatch, schema=HandoverBatchSchema, name="keys_handover_batches", label="Developer handover",
                      label_zh="开发商钥匙移交", view_permission="keys.view", edit_permission="keys.manage",
                      list_columns=("number", "phase", "developer_name", "received_at", "status", "seal_no"),
                      search_fields=("number", "seal_no"), filters=("estate_id", "status"),
                      workflow="keys.handover_batch", can_create=False, can_edit=False, order=40),
        AdminViewSpec(model=InventoryCount, schema=InventoryCountSchema, name="keys_inventory_counts", label="Key inventory", label_zh="钥匙盘点",
                      view_permission="keys.view", edit_permission="keys.inventory",
                      list_columns=("period", "status", "expected_count", "found_count", "discrepancy_count",
                                    "closed_at"),
                      filters=("estate_id", "status"), workflow="keys.inventory_count", can_edit=False,
                      create_service=api.open_count, order=50),
        AdminViewSpec(model=LockChangeTask, schema=LockChangeTaskSchema, name="keys_lock_change_tasks", label="Lock changes", label_zh="换锁",
                      view_permission="keys.view", edit_permission="keys.manage",
                      list_columns=("number", "key_set_id", "status", "reported_at", "done_at", "new_copies"),
                      search_fields=("number",), filters=("estate_id", "status"), workflow="keys.lock_change",
                      can_create=False, can_edit=False, order=60),
        AdminViewSpec(model=FacilityRoom, schema=FacilityRoomSchema, name="keys_facility_rooms", label="Facility rooms", label_zh="设备房/功能房",
                      view_permission="keys.view", edit_permission="keys.manage", list_columns=("name", "kind", "location", "active"),
                      search_fields=("name",), filters=("estate_id", "kind", "active"),
                      create_service=api.create_facility_room, order=70),
    ]
