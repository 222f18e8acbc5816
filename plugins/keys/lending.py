"""The lending register (钥匙领(借)用登记表): lending, returns and overdue loans (spec 2.12).

Rules: a key that is out cannot be lent again and one that is not out cannot be returned
(``Conflict``); a custody key is lent only for a use its active agreement permits, with the
owner's consent recorded on the loan and, by default, under staff escort; the expected return
must be after the issue time. Returns of custody keys confirm the door was closed and the contents
intact (the custodian answers for both, 001 L147).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import (
    Conflict,
    Text,
    ValidationError,
    apply,
    authorize,
    estate_today,
    has_permission,
    settings_of,
    utcnow,
    visible_estate_ids,
)
from core.models import StaffUser
from plugins.keys.agents import check_agent
from plugins.keys.models import (
    ConsentChannel,
    KeyLoan,
    KeySet,
    KeyStatus,
    KeyUse,
    LoanKind,
    LoanStatus,
    ReturnCondition,
)
from plugins.keys.records import aware, get, is_count, staff, stripped
from plugins.keys.register import require_status
from plugins.keys.settings import Settings
from plugins.keys.workflows.key_set import active_agreement, open_loan


def settings(session: Session) -> dict:
    """The validated ``[plugins.keys]`` settings (the defaults when the session has no instance)."""
    return settings_of(session, "keys", Settings().load({}))


def _out_conflict(session: Session, key_set: KeySet) -> Conflict:
    loan = open_loan(session, key_set)
    if loan is None:
        return Conflict(f"key set {key_set.tag_no} is already out", field="key_set_id")
    due = f", due back {loan.expected_return_at:%Y-%m-%d %H:%M} UTC" if loan.expected_return_at else ""
    return Conflict(f"key set {key_set.tag_no} is already out on loan {loan.number} to {loan.borrower_name}{due}; "
                    "it must be returned before it is lent again", field="key_set_id")


def lend_key(session: Session, actor: StaffUser | None, key_set: KeySet | int, *, borrower_name: str,
             purpose: str, expected_return_at: dt.datetime, approved_by_id: int, borrower_company: str = "",
             borrower_id_number: str = "", borrower_phone: str = "", purpose_detail: str = "",
             escort_id: int | None = None, consent_by: str = "", consent_at: dt.datetime | None = None,
             consent_channel: str | None = None, copies: int = 1,
             issued_at: dt.datetime | None = None, power_of_attorney_id: int | None = None) -> KeyLoan:
    """Lend a key set (借用): register the borrower, purpose, approval, escort and expected return.

    The approver is someone else than the person lending the key (two people, 001 L147). A borrower
    who comes for the owner as his agent gives the owner's power of attorney
    (``power_of_attorney_id``, with ``borrower_id_number``); the line is marked ``by_agent``."""
    key_set = get(session, KeySet, key_set, lock=True, what="key set")
    authorize(session, actor, "keys.lend", key_set)
    if KeyStatus(key_set.status) == KeyStatus.lent:
        raise _out_conflict(session, key_set)
    require_status(key_set, (KeyStatus.sealed, KeyStatus.in_custody), "lent")
    borrower_name = stripped(borrower_name)
    if not borrower_name:
        raise ValidationError(Text("give the borrower's name (领(借)用人)", "请填写领(借)用人"), field="borrower_name")
    try:
        purpose = KeyUse(purpose)
    except ValueError:
        raise ValidationError(Text("purpose must be one of " + ", ".join(u.value for u in KeyUse),
                                   "用途须为：" + "、".join(zh for _, zh in KeyUse.__labels__.values())),
                              field="purpose") from None
    issued_at = aware(issued_at, "issued_at") or utcnow()
    if expected_return_at is None:
        raise ValidationError(Text("give the expected return time", "请填写应归还时间"), field="expected_return_at")
    aware(expected_return_at, "expected_return_at")
    if expected_return_at <= issued_at:
        raise ValidationError(Text("the expected return must be after the issue time", "应归还时间须晚于借出时间"),
                              field="expected_return_at")
    if not is_count(copies) or copies > key_set.copies:
        raise ValidationError(Text(f"copies lent must be between 1 and {key_set.copies}",
                                   f"借出把数须在 1 到 {key_set.copies} 之间"), field="copies")
    if approved_by_id is None:
        raise ValidationError(Text("name who approved the loan (key custodian or CS supervisor)",
                                   "请选择批准人（钥匙管理员或客服主管）"), field="approved_by_id")
    approver = staff(session, approved_by_id, "approved_by_id")
    approver_estates = visible_estate_ids(session, approver)  # None: every estate
    works_here = approver_estates is None or key_set.estate_id in approver_estates
    if not has_permission(session, approver, "keys.approve_loan") or not works_here:
        raise ValidationError(Text(f"{approver.username} may not approve key loans in this estate (needs "
                                   "keys.approve_loan and to work for the estate)",
                                   f"{approver.full_name or approver.username} 无权批准本小区的钥匙借用"),
                              field="approved_by_id")
    if actor is not None and approver.id == actor.id:
        raise ValidationError(Text("the person lending the key cannot approve his own loan; name another approver "
                                   "(key custodian or CS supervisor)",
                                   "借出钥匙的人不能自己批准，请选择另一位批准人（钥匙管理员或客服主管）"),
                              field="approved_by_id")
    agent = None
    if power_of_attorney_id is not None:
        agent = check_agent(session, actor, key_set.estate_id, agent_name=borrower_name,
                            agent_id_number=borrower_id_number, power_of_attorney_id=power_of_attorney_id)
    escort = staff(session, escort_id, "escort_id") if escort_id is not None else None
    agreement = None
    channel = None
    if KeyStatus(key_set.status) == KeyStatus.in_custody:
        agreement = active_agreement(session, key_set.unit_id, estate_today(session, key_set.estate_id),
                                     key_set.id)
        if agreement is None:
            raise Conflict(Text(f"no active custody agreement covers key set {key_set.tag_no} today; it cannot be lent",
                                f"钥匙 {key_set.tag_no} 今天没有有效的托管书，不能借出"), field="custody_agreement")
        if purpose.value not in agreement.permitted_uses:
            raise Conflict(Text(f"agreement {agreement.number} permits only {', '.join(agreement.permitted_uses)}; "
                                f"not {purpose.value}",
                                f"托管书 {agreement.number} 只允许："
                                + "、".join(KeyUse.__labels__[u][1] for u in agreement.permitted_uses
                                           if u in KeyUse.__labels__)
                                + f"，不允许{KeyUse.__labels__[purpose.value][1]}"), field="purpose")
        missing = {f: Text("record the owner's consent to this entry", "请记录业主对本次入户的同意") for f, v in
                   (("consent_by", stripped(consent_by)), ("consent_at", consent_at),
                    ("consent_channel", consent_channel)) if not v}
        if missing:
            raise ValidationError({f: [m] for f, m in missing.items()}, field=next(iter(missing)))
        aware(consent_at, "consent_at")
        if consent_at > utcnow() + dt.timedelta(minutes=5):
            raise ValidationError(Text("the owner's consent cannot be in the future", "业主同意时间不能晚于现在"),
                                  field="consent_at")
        try:
            channel = ConsentChannel(consent_channel)
        except ValueError:
            raise ValidationError(Text("consent channel must be one of " + ", ".join(c.value for c in ConsentChannel),
                                       "同意方式须为：" + "、".join(zh for _, zh in ConsentChannel.__labels__.values())),
                                  field="consent_channel") from None
        if escort is None and settings(session).get("escort_required_for_custody_keys", True):
            raise ValidationError(Text("a custody key is lent only under staff escort: name the escort",
                                       "托管钥匙须由员工陪同方可借出，请选择陪同人"), field="escort_id")
    loan = KeyLoan(estate_id=key_set.estate_id, number="", key_set_id=key_set.id, kind=LoanKind.lend,
                   status=LoanStatus.out, from_status=KeyStatus(key_set.status).value,
                   custody_agreement_id=agreement.id if agreement else None, copies=copies,
                   borrower_name=borrower_name, borrower_company=borrower_company,
                   borrower_id_number=borrower_id_number, borrower_phone=borrower_phone, purpose=purpose,
                   purpose_detail=purpose_detail, approved_by_id=approver.id, approved_at=utcnow(),
                   escort_id=escort.id if escort else None, consent_by=stripped(consent_by),
                   consent_at=consent_at if agreement else None, consent_channel=channel,
                   issued_by_id=actor.id if actor else None, issued_at=issued_at,
                   expected_return_at=expected_return_at, by_agent=agent is not None,
                   power_of_attorney_id=agent.power_of_attorney_id if agent else None)
    apply(session, key_set, "lend", actor, loan=loan)
    session.flush()
    return loan


def return_key(session: Session, actor: StaffUser | None, key_set: KeySet | int, *, returned_by_name: str = "",
               condition: str = "intact", door_closed: bool | None = None, contents_intact: bool | None = None,
               notes: str = "", returned_at: dt.datetime | None = None) -> KeyLoan:
    """Take a lent key back (归还); it goes back to where it came from (sealed or in custody)."""
    if isinstance(key_set, KeyLoan):
        key_set = key_set.key_set
    key_set = get(session, KeySet, key_set, lock=True, what="key set")
    authorize(session, actor, "keys.return", key_set)
    loan = open_loan(session, key_set)
    if loan is None or KeyStatus(key_set.status) != KeyStatus.lent:
        raise Conflict(Text(f"key set {key_set.tag_no} is not out on loan (it is '{KeyStatus(key_set.status).value}'); "
                            "there is nothing to return",
                            f"钥匙 {key_set.tag_no} 未借出（{KeyStatus.__labels__[KeyStatus(key_set.status).value][1]}），"
                            "无需归还"), field="key_set_id")
    try:
        condition = ReturnCondition(condition)
    except ValueError:
        raise ValidationError(Text("condition must be one of " + ", ".join(c.value for c in ReturnCondition),
                                   "归还状况须为：" + "、".join(zh for _, zh in ReturnCondition.__labels__.values())),
                              field="condition") from None
    returned_at = aware(returned_at, "returned_at") or utcnow()
    if returned_at < loan.issued_at:
        raise ValidationError(Text("the return cannot be before the key was lent", "归还时间不能早于借出时间"),
                              field="returned_at")
    if loan.from_status == KeyStatus.in_custody.value:
        for name, value in (("door_closed", door_closed), ("contents_intact", contents_intact)):
            if value is None:
                raise ValidationError(Text("for a custody key, confirm the entrance door was closed and the contents "
                                           "intact", "托管钥匙归还时，请确认入户门已关好、室内物品完好"), field=name)
    name = "return_to_custody" if loan.from_status == KeyStatus.in_custody.value else "return"
    apply(session, key_set, name, actor, comment=notes or None, returned_by_name=returned_by_name,
          condition=condition, door_closed=door_closed, contents_intact=contents_intact, notes=notes,
          returned_at=returned_at)
    session.flush()
    return loan


def flag_overdue_loans(session: Session, now: dt.datetime | None = None) -> dict:
    """Flag loans past their expected return (sets ``flagged_overdue_at`` once); the job's work."""
    now = now or utcnow()
    grace = dt.timedelta(minutes=int(settings(session).get("overdue_grace_minutes", 0)))
    overdue = list(session.scalars(
        select(KeyLoan).where(KeyLoan.status == LoanStatus.out, KeyLoan.expected_return_at.is_not(None),
                              KeyLoan.expected_return_at < now - grace).order_by(KeyLoan.expected_return_at)))
    newly = [loan for loan in overdue if loan.flagged_overdue_at is None]
    for loan in newly:
        loan.flagged_overdue_at = now
    session.flush()
    return {"overdue": len(overdue), "flagged": len(newly), "newly_flagged": [loan.number for loan in newly]}


def overdue_loans(session: Session, estate_id: int | None = None) -> list[KeyLoan]:
    """Loans flagged overdue and still out, oldest due first."""
    stmt = (select(KeyLoan).where(KeyLoan.status == LoanStatus.out, KeyLoan.flagged_overdue_at.is_not(None))
            .order_by(KeyLoan.expected_return_at))
    if estate_id is not None:
        stmt = stmt.where(KeyLoan.estate_id == estate_id)
    return list(session.scalars(stmt))
