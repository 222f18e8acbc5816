"""Paid repairs (有偿维修): labour and materials are charged to the unit through billing's services
when the owner confirms the work, and only after the owner accepted the price (quote)."""

from __future__ import annotations

from core import Text, fen_to_yuan
from plugins.billing import services as billing

REPAIR_FEE = "REPAIR_PAID"


def fee_items() -> list:
    """The fee item paid repairs are charged under (contributed to billing)."""
    return [billing.FeeItemDef(code=REPAIR_FEE, name="Paid repair", name_zh="有偿维修费",
                               category="repair", basis="fixed", cycle="one_off")]


def guard_price_accepted(session, order, actor, **data):
    """Guard of ``confirm``: a paid repair is charged only at a price the owner accepted."""
    if order.paid and order.quote_accepted_at is None:
        return Text(f"{order.number} is a paid repair ({fen_to_yuan(order.amount_fen)} yuan) and the owner has not "
                    "accepted the price; record the owner's acceptance of the quote first",
                    f"{order.number} 为有偿维修（{fen_to_yuan(order.amount_fen)} 元），业主尚未接受报价，请先登记业主确认报价")
    return None


def post_repair_charge(session, order, actor, **data):
    """Effect of ``confirm``: post labour plus materials on the unit's bill (once)."""
    if not order.paid or order.amount_fen <= 0 or order.charge_posted:
        return
    parts = f"人工 {fen_to_yuan(order.labour_fen)} 元 + 材料 {fen_to_yuan(order.material_fen)} 元"
    billing.post_charge(session, actor, unit=order.unit, fee_item_code=REPAIR_FEE, amount_fen=order.amount_fen,
                        source=order.source, description=f"有偿维修 {order.number}（{parts}）")
    order.charge_posted = True
