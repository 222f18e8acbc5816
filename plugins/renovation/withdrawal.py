"""What a withdrawal does to the charges an application posted (装修申请撤回: 未缴费用冲销).

Signing the agreement posts the waste-removal and pass fees under the application's billing source, and a
worker added later is charged under their own source. When the applicant withdraws, the unit must not be
left owing for works that will never happen, and no money may be lost:

* an unpaid charge is reversed (红冲) through the billing contract's ``cancel_charge``, by the staff member
  recording the withdrawal (renovation's own ``renovation.withdraw`` permission is the check, as it was
  for posting the charge);
* a fully paid charge is kept: the fee was collected, and whether it is refunded is a finance decision
  made in billing (reverse the payment, then the charge). The withdrawal names it on the timeline;
* a partly paid charge refuses the withdrawal, naming the charge: billing cannot reverse a line with money
  on it, and leaving it would keep the rest owed on a dead application. Collect the rest (the charge is
  then kept as paid) or reverse the payment in billing (it is then reversed here), and withdraw again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core import WorkflowError, fen_to_yuan, record_event
from plugins.billing import services as billing
from plugins.renovation.deposit import guard_refund_approver, require_approver, resolve_staff
from plugins.renovation.models import RenovationApplication
from plugins.renovation.site import worker_source


@dataclass
class ChargesOnWithdrawal:
    """The application's live charge lines, sorted by what a withdrawal does with them."""

    unpaid: list = field(default_factory=list)  # reversed
    paid: list = field(default_factory=list)  # kept as collected
    partly_paid: list = field(default_factory=list)  # (line, paid fen): refuse the withdrawal

    def describe(self, line) -> str:
        return f"#{line.id} {line.fee_item.code} {line.description} ({fen_to_yuan(line.amount_fen)} yuan)"


def sources(app: RenovationApplication) -> list[str]:
    """Every billing source a renovation application charges under: its own and its late workers'."""
    return [app.source, *(worker_source(w) for w in app.workers)]


def charges_on_withdrawal(session, app: RenovationApplication) -> ChargesOnWithdrawal:
    """Sort the application's charges that are neither reversals nor reversed by what is paid on them."""
    lines = [line for source in sources(app) for line in billing.charges_for(session, source=source)
             if line.origin != "reversal" and line.reversed_at is None]
    out = ChargesOnWithdrawal()
    if not lines:
        return out
    # Outstanding amounts come from the ledger's allocations, not from relationships that may be stale.
    open_fen = {line.id: open_ for line, open_ in billing.open_lines(session, app.unit_id, [x.id for x in lines])}
    for line in lines:
        owed = open_fen.get(line.id, 0)
        if owed >= line.amount_fen:
            out.unpaid.append(line)
        elif owed == 0:
            out.paid.append(line)
        else:
            out.partly_paid.append((line, line.amount_fen - owed))
    return out


def partly_paid_message(app: RenovationApplication, charges: ChargesOnWithdrawal) -> str | None:
    if not charges.partly_paid:
        return None
    named = "; ".join(f"charge {charges.describe(line)} has {fen_to_yuan(paid)} yuan paid and "
                      f"{fen_to_yuan(line.amount_fen - paid)} yuan open" for line, paid in charges.partly_paid)
    return (f"{app.number} cannot be withdrawn while a charge is partly paid: {named}. Collect the rest "
            "(the charge is then kept as paid) or reverse that payment in billing, then withdraw again")


def reverse_unpaid_charges(session, actor, app: RenovationApplication) -> ChargesOnWithdrawal:
    """Reverse every unpaid charge of a withdrawn application and record what was done on its timeline.

    Raises ``WorkflowError`` (nothing changed) when a charge is partly paid.
    """
    # Classify under the unit's account lock, so a payment arriving meanwhile cannot turn an "unpaid" line
    # into a paid one between the check and the reversal.
    billing.lock_account(session, app.unit)
    charges = charges_on_withdrawal(session, app)
    refused = partly_paid_message(app, charges)
    if refused:
        raise WorkflowError(refused, field="status")
    for line in charges.unpaid:
        billing.cancel_charge(session, actor, line, reason=f"装修申请 {app.number} 已撤回 (withdrawn)")
    if charges.unpaid or charges.paid:
        record_event(session, actor, RenovationApplication.__tablename__, app.id, "comment",
                              estate_id=app.estate_id, detail="withdraw: charges", note=_note(charges, actor))
        session.flush()
    return charges


def _note(charges: ChargesOnWithdrawal, by) -> str:
    parts = []
    if charges.unpaid:
        total = sum(line.amount_fen for line in charges.unpaid)
        who = by.username if by is not None else "the system"
        parts.append(f"reversed unpaid charges ({fen_to_yuan(total)} yuan) by {who}: "
                     + ", ".join(charges.describe(line) for line in charges.unpaid))
    if charges.paid:
        parts.append("kept paid charges (refund only through billing): "
                     + ", ".join(charges.describe(line) for line in charges.paid))
    return "; ".join(parts)


# --- guards and effects of the withdraw transition ---------------------------------------------
def guard_withdraw_refund(session, app, actor, approver=None, **data):
    """With a deposit held, the approver of its refund is a second person who may approve refunds."""
    approver = resolve_staff(session, approver)
    if approver is not None and billing.deposit_balance_fen(session, source=app.source):
        return guard_refund_approver(session, app, actor, approver=approver)
    return None


def guard_withdraw_charges(session, app, actor, approver=None, **data):
    """A partly paid charge blocks the withdrawal."""
    return partly_paid_message(app, charges_on_withdrawal(session, app))


def reverse_charges_on_withdrawal(session, app, actor, approver=None, **data):
    """Effect: the charges the application posted and nobody paid are reversed."""
    reverse_unpaid_charges(session, actor, app)


def refund_on_withdrawal(session, app, actor, approver=None, **data):
    """Effect: a deposit held is refunded in full, with the approver's approval."""
    held = billing.deposit_balance_fen(session, source=app.source)
    if held:
        approver = resolve_staff(session, approver)
        require_approver(approver, f"withdrawing with a deposit of {fen_to_yuan(held)} yuan held (it is refunded)")
        billing.refund_deposit(session, actor, source=app.source, amount_fen=None, approved_by=approver)
