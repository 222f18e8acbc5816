"""The renovation fees (装修费用): waste removal (装修垃圾清运费) and worker passes (出入证工本费).

Signing the service agreement posts them under the application's billing source, with the amounts of
the ``[plugins.renovation]`` settings; the permit waits until they and the deposit are paid. The fee
items are contributed to billing (``wuye_billing_fee_items``) so billing knows them before the first
agreement posts them (spec 2.5 RenovationFee).
"""

from __future__ import annotations

from core import Text, fen_to_yuan, settings_of, utcnow
from plugins.billing import services as billing
from plugins.renovation.settings import DEFAULTS

WASTE_FEE = "RENO_WASTE"
PASS_FEE = "RENO_PASS"


def fee_items() -> list:
    """The fee items this plugin charges under, as billing's ``FeeItemDef``."""
    return [
        billing.FeeItemDef(code=WASTE_FEE, name="Renovation waste removal", name_zh="装修垃圾清运费",
                           category="renovation", basis="fixed", cycle="one_off"),
        billing.FeeItemDef(code=PASS_FEE, name="Renovation worker pass", name_zh="装修人员出入证工本费",
                           category="renovation", basis="fixed", cycle="one_off"),
    ]


def post_fees(session, app, actor, **data):
    """Effect of ``sign_agreement``: post the waste-removal and pass fees and fix the deposit expected."""
    cfg = settings_of(session, "renovation", DEFAULTS)
    app.deposit_required_fen = cfg["deposit_fen"]
    app.agreement_signed_at = utcnow()
    waste = cfg["waste_fee_fen"]
    passes = cfg["pass_fee_fen"] * len(app.workers)
    if waste > 0:
        billing.post_charge(session, actor, unit=app.unit, fee_item_code=WASTE_FEE, amount_fen=waste,
                            source=app.source, description=f"装修垃圾清运费 {app.number}")
    if passes > 0:
        billing.post_charge(session, actor, unit=app.unit, fee_item_code=PASS_FEE, amount_fen=passes,
                            source=app.source, description=f"装修人员出入证 {len(app.workers)} × "
                                                           f"{fen_to_yuan(cfg['pass_fee_fen'])} {app.number}")
    app.waste_fee_fen = waste
    app.pass_fee_fen = passes


def payment_problems(session, app) -> list[str]:
    """What is still missing before the permit: unpaid charges and the deposit shortfall."""
    missing = []
    unpaid = billing.outstanding_fen(session, source=app.source)
    if unpaid:
        missing.append(f"charges of {fen_to_yuan(unpaid)} yuan for {app.number} are still unpaid")
    held = billing.deposit_balance_fen(session, source=app.source)
    if held < app.deposit_required_fen:
        missing.append(f"the deposit is short by {fen_to_yuan(app.deposit_required_fen - held)} yuan "
                       f"(held {fen_to_yuan(held)} of {fen_to_yuan(app.deposit_required_fen)})")
    return missing


def guard_paid(session, app, actor, **data):
    """Guard of ``confirm_payment`` and ``issue_permit``: every fee and the whole deposit are paid."""
    missing = payment_problems(session, app)
    if missing:
        return Text("not paid: " + "; ".join(missing) + "; collect them at the cashier first",
                    "尚未缴清：" + "；".join(missing) + "。请先到收费处收取")
    return None
