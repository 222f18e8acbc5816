"""Key custody models (spec 2.12), one module per aggregate:

* ``register``: facility rooms and key sets (the key set's ``status`` is workflow ``keys.key_set``);
* ``handover``: developer handover batches and their lines;
* ``custody``: custody agreements (钥匙托管书);
* ``loans``: the lending register (钥匙领(借)用登记表);
* ``locks``: lock-change tasks;
* ``inventory``: the monthly key inventory.

Every table carries ``estate_id`` (denormalised, indexed) so the core's estate scoping filters it
directly. Import the models from here; ``MODELS`` lists every mapped class of the plugin.
"""

from plugins.keys.models.custody import ConsentChannel, CustodyAgreement, CustodyReason, CustodyStatus, KeyUse
from plugins.keys.models.handover import BatchStatus, CheckResult, HandoverBatch, HandoverLine
from plugins.keys.models.inventory import CountResult, CountStatus, InventoryCount, InventoryLine
from plugins.keys.models.loans import KeyLoan, LoanKind, LoanStatus, ReturnCondition
from plugins.keys.models.locks import LockChangeTask, TaskStatus
from plugins.keys.models.register import FacilityRoom, FacilityRoomKind, KeySet, KeyStatus

MODELS = (FacilityRoom, KeySet, HandoverBatch, HandoverLine, CustodyAgreement, KeyLoan, LockChangeTask,
          InventoryCount, InventoryLine)

__all__ = [
    "MODELS", "BatchStatus", "CheckResult", "ConsentChannel", "CountResult", "CountStatus", "CustodyAgreement",
    "CustodyReason", "CustodyStatus", "FacilityRoom", "FacilityRoomKind", "HandoverBatch", "HandoverLine",
    "InventoryCount", "InventoryLine", "KeyLoan", "KeySet", "KeyStatus", "KeyUse", "LoanKind", "LoanStatus",
    "LockChangeTask", "ReturnCondition", "TaskStatus",
]
