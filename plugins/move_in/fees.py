"""Move-in fees (KF08 §5.4.4), collected first through billing.

The plugin contributes the one-off pass-through items a notice lists (gas account opening 煤气开户费,
cable-TV installation 有线电视初装费); the management fee and the renovation deposit are billing's and
renovation's own. ``post_move_in_fee`` puts an amount on the unit's bill with the case as its
source; the cashier takes the money in billing; the step ``confirm_fees`` then checks the unit's
open amount (``billing.unit_balance_fen``) is zero.
"""

from __future__ import annotations

from core import Text, ValidationError, attributed, authorize
from plugins.billing import services as billing
from plugins.move_in.models import MoveInCase

GAS_OPENING, CATV_INSTALLATION = "MOVE_IN_GAS", "MOVE_IN_CATV"


def fee_items() -> list:
    """The fee items move-in fees are charged under (contributed to billing)."""
    return [billing.FeeItemDef(code=GAS_OPENING, name="Gas account opening (collected on behalf)",
                               name_zh="煤气开户费(代收代缴)", category="pass_through", basis="fixed", cycle="one_off"),
            billing.FeeItemDef(code=CATV_INSTALLATION, name="Cable TV installation (collected on behalf)",
                               name_zh="有线电视初装费(代收代缴)", category="pass_through", basis="fixed", cycle="one_off")]


@attributed
def post_move_in_fee(session, actor, case: MoveInCase, *, fee_item_code: str, amount_fen: int, description: str = ""):
    """Charge one move-in fee to the case's unit (idempotent per case and fee item)."""
    authorize(session, actor, "move_in.manage", case)
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        raise ValidationError(Text("give the amount in whole fen, more than 0", "金额请填写大于 0 的整数（分）"),
                              field="amount_fen")
    return billing.post_charge(session, actor, unit=case.unit, fee_item_code=fee_item_code, amount_fen=amount_fen,
                               source=f"move_in:case:{case.id}", description=description or f"入伙费用 {case.number}")
