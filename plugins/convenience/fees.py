"""The billing fee items convenience charges are posted under (amounts given per charge: basis "fixed")."""

from __future__ import annotations

from plugins.billing.services import FeeItemDef

SERVICE_FEE = "CONV_SERVICE"  # 有偿便民服务费
PREPAY_FEE = "CONV_PREPAY"  # 便民服务预交款


def fee_items() -> list[FeeItemDef]:
    """What ``wuye_billing_fee_items`` contributes to billing's fee catalogue."""
    return [
        FeeItemDef(code=SERVICE_FEE, name="Convenience service fee", name_zh="有偿便民服务费",
                   category="convenience", basis="fixed", cycle="one_off"),
        FeeItemDef(code=PREPAY_FEE, name="Convenience service prepayment", name_zh="便民服务预交款",
                   category="convenience", basis="fixed", cycle="one_off"),
    ]
