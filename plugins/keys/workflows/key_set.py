"""The key set's lifecycle, workflow ``keys.key_set`` (spec 2.12).

::

    with_developer ──receive_from_developer──▶ sealed ──issue_to_owner──▶ issued_to_owner
                                                 │  ▲                        │      ▲
                                     take_into_custody│seal ◀────────────────┘      │ release_custody
                                                 ▼  │                               │
                                  sealed/in_custody ──lend──▶ lent ──return──▶ sealed
                                                              └──return_to_custody──▶ in_custody
    sealed / issued_to_owner / in_custody / lent ──report_lost──▶ lost ──seal──▶ sealed (new keys)
    with_developer / sealed / lost ──destroy──▶ destroyed (final)

The effects keep the registers in step whatever route applies a transition (service, admin
button, API): issuing and releasing write an issue line in the 钥匙领(借)用登记表, lending adds
the loan the service prepared, a return closes it, and a loss closes an open loan as lost and
opens a lock-change task. Validation with field messages happens in ``services`` first.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import (
    State,
    Text,
    Transition,
    ValidationError,
    Workflow,
    apply,
    estate_today,
    next_number,
    owners_of,
    utcnow,
)
from core.models import Party
from plugins.keys.agents import Agent, check_agent
from plugins.keys.models import (
    CustodyAgreement,
    CustodyStatus,
    KeyLoan,
    KeySet,
    KeyStatus,
    KeyUse,
    LoanKind,
    LoanStatus,
    LockChangeTask,
    ReturnCondition,
)
from plugins.keys.records import is_count
from plugins.keys.schemas import (
    CopiesSchema,
    IssueToOwnerSchema,
    KeyReturnSchema,
    NoteSchema,
    ReportLostSchema,
)
from plugins.keys.workflows.values import INTERNAL, plain_states, text

WORKFLOW = "keys.key_set"
S = KeyStatus


# --- lookups shared with the services -----------------------------------------------------------

def open_loan(session, key_set: KeySet) -> KeyLoan | None:
    """The register line for which ``key_set`` is out, if any."""
    return session.scalar(select(KeyLoan).where(KeyLoan.key_set_id == key_set.id, KeyLoan.status == LoanStatus.out))


def active_agreement(session, unit_id: int, day, key_set_id: int | None = None) -> CustodyAgreement | None:
    """The active custody agreement for the unit covering ``day`` (for ``key_set_id`` if given)."""
    stmt = (select(CustodyAgreement)
            .where(CustodyAgreement.unit_id == unit_id, CustodyAgreement.status == CustodyStatus.active,
                   CustodyAgreement.start_on <= day)
            .where((CustodyAgreement.end_on.is_(None)) | (CustodyAgreement.end_on >= day))
            .order_by(CustodyAgreement.start_on.desc(), CustodyAgreement.id.desc()))
    rows = list(session.scalars(stmt))
    if key_set_id is not None:
        rows = [a for a in rows if a.key_set_id in (None, key_set_id)]
        rows.sort(key=lambda a: a.key_set_id != key_set_id)  # the one already linked first
    return rows[0] if rows else None


def _issue_line(session, key_set: KeySet, actor, party: Party, detail: str, from_status: KeyStatus,
                agent: Agent | None = None) -> KeyLoan:
    """Write a 领用 line: the owner (or his agent, holding the owner's power of attorney) signs for the
    keys, which do not come back. ``borrower_party_id`` is always the owner."""
    estate_id = key_set.estate_id
    number = next_number(session, "KL", estate_id=estate_id, year=estate_today(session, estate_id).year)
    signer = ({"borrower_name": agent.name, "borrower_id_number": agent.id_number, "borrower_phone": "",
               "by_agent": True, "power_of_attorney_id": agent.power_of_attorney_id} if agent is not None else
              {"borrower_name": party.name, "borrower_id_number": party.id_number or "",
               "borrower_phone": party.phone or ""})
    line = KeyLoan(estate_id=estate_id, number=number, key_set_id=key_set.id, kind=LoanKind.issue,
                   status=LoanStatus.issued, from_status=from_status.value, copies=key_set.copies,
                   borrower_party_id=party.id, purpose=KeyUse.other, purpose_detail=detail,
                   issued_by_id=actor.id if actor is not None else None, issued_at=utcnow(), **signer)
    session.add(line)
    return line


# --- guards: None when the transition may go ahead, else why not --------------------------------

def _unit_keys_only(session, record: KeySet, actor, **data):
    if record.unit_id is None:
        return Text(f"key set {record.tag_no} opens a facility room, not a unit: it is never issued to an owner",
                    f"钥匙 {record.tag_no} 属于设备房而非房屋，不交付业主")
    return None


def _owner(session, owner=None, owner_id=None, **data) -> Party | None:
    if isinstance(owner, Party):
        return owner
    if isinstance(owner_id, int) and not isinstance(owner_id, bool):
        return session.get(Party, owner_id)
    return None


def _owner_of_unit(session, record: KeySet, actor, **data):
    owner = _owner(session, **data)
    if owner is None:
        return Text("name the owner who receives the keys (owner_id)", "请选择领取钥匙的业主")
    if record.unit_id is None:
        return None
    day = estate_today(session, record.estate_id)
    if all(p.id != owner.id for p in owners_of(session, record.unit, day)):
        return Text(f"{owner.name} does not own unit {record.unit.label}", f"{owner.name} 不是房屋 {record.unit.label} 的业主")
    return None


def _agent(session, record: KeySet, actor, agent=None, agent_name="", agent_id_number="", power_of_attorney_id=None,
           **data) -> Agent | None:
    if isinstance(agent, Agent):
        return agent
    return check_agent(session, actor, record.estate_id, agent_name=agent_name, agent_id_number=agent_id_number,
                       power_of_attorney_id=power_of_attorney_id)


def _agent_on_file(session, record: KeySet, actor, **data):
    """An agent signs for the owner only with the owner's power of attorney on file (KF08 §5.3 e)."""
    try:
        _agent(session, record, actor, **data)
    except ValidationError as exc:  # the guard's answer is the same bilingual message the service gives
        first = next(iter(exc.errors.values()))[0]
        return first if isinstance(first, Text) else Text(str(first), str(first))
    return None


def _custody_agreement(session, record: KeySet, actor, agreement=None, **data):
    agreement = agreement if isinstance(agreement, CustodyAgreement) else None
    if record.unit_id is None:
        return Text(f"key set {record.tag_no} opens a facility room: custody agreements are for units",
                    f"钥匙 {record.tag_no} 属于设备房，钥匙托管只适用于房屋")
    day = estate_today(session, record.estate_id)
    agreement = agreement or active_agreement(session, record.unit_id, day, record.id)
    if agreement is None or not agreement.covers(day) or agreement.unit_id != record.unit_id:
        return Text(f"unit {record.unit.label} has no active custody agreement (钥匙托管书) for today: "
                    "record the owner's agreement first",
                    f"房屋 {record.unit.label} 今天没有有效的钥匙托管书，请先登记业主的托管协议")
    if agreement.key_set_id not in (None, record.id):
        return Text(f"agreement {agreement.number} already holds key set {agreement.key_set.tag_no}",
                    f"托管书 {agreement.number} 已托管钥匙 {agreement.key_set.tag_no}")
    return None


def _loan_prepared(session, record: KeySet, actor, loan=None, **data):
    if not isinstance(loan, KeyLoan) or loan.key_set_id != record.id or loan.kind != LoanKind.lend:
        return Text("lending needs the register line (borrower, purpose, approval, expected return): "
                    "use keys.services.lend_key or POST /api/v1/keys/loans",
                    "借出钥匙须先在“钥匙领(借)用登记表”登记借用人、用途、审批和应归还时间")
    return None


def _returning_to(origin: KeyStatus | str):
    origin = KeyStatus(origin)

    def guard(session, record: KeySet, actor, condition="intact", door_closed=None, contents_intact=None, **data):
        loan = open_loan(session, record)
        if loan is None:
            return Text(f"key set {record.tag_no} has no open loan to return", f"钥匙 {record.tag_no} 没有未归还的借用记录")
        if loan.from_status != origin.value:
            back = "return_to_custody" if loan.from_status == S.in_custody.value else "return"
            return Text(f"loan {loan.number} took the key from '{loan.from_status}': use '{back}'",
                        f"借用单 {loan.number} 的钥匙借自“{S(loan.from_status).__labels__[loan.from_status][1]}”，"
                        f"请用“{'归还托管' if back == 'return_to_custody' else '归还'}”")
        if condition not in {c.value for c in ReturnCondition}:
            return Text("condition must be one of " + ", ".join(c.value for c in ReturnCondition),
                        "归还状况须为：" + "、".join(zh for _, zh in ReturnCondition.__labels__.values()))
        for name, value in (("door_closed", door_closed), ("contents_intact", contents_intact)):
            if value is not None and not isinstance(value, bool):
                return Text(f"{name} must be true or false", f"{name} 须为是或否")
        returned_at = data.get("returned_at")
        if returned_at is not None and (not isinstance(returned_at, dt.datetime) or returned_at.tzinfo is None):
            return Text("returned_at must be a time with its time zone; leave it out to use now",
                        "归还时间须带时区；不填则为当前时间")
        if origin == S.in_custody and (door_closed is None or contents_intact is None):
            return Text("for a custody key, confirm the entrance door was closed (door_closed) and the contents intact "
                        "(contents_intact)", "托管钥匙归还时，请确认入户门已关好、室内物品完好")
        return None

    guard.__name__ = f"returning_to_{origin.value}"
    return guard


# --- effects ------------------------------------------------------------------------------------

def _copies_given(session, record: KeySet, actor, copies=None, **data):
    if copies is not None and not is_count(copies):
        return Text("copies must be a whole number of at least 1", "把数须为不小于 1 的整数")
    return None


def _copies(session, record: KeySet, actor, copies=None, **data):
    if copies is not None:
        record.copies = copies


def _seal(session, record: KeySet, actor, copies=None, **data):
    record.holder_party_id = None
    _copies(session, record, actor, copies=copies)


def _issue(session, record: KeySet, actor, **data):
    owner = _owner(session, **data)
    record.holder_party_id = owner.id
    agent = _agent(session, record, actor, **data)
    detail = text(data.get("detail"), 400) or ("受托人代领 (issued to the owner's agent)" if agent else
                                               "交付业主 (issued to owner)")
    _issue_line(session, record, actor, owner, detail, S.sealed, agent)


def _into_custody(session, record: KeySet, actor, agreement=None, **data):
    agreement = agreement if isinstance(agreement, CustodyAgreement) else None
    day = estate_today(session, record.estate_id)
    agreement = agreement or active_agreement(session, record.unit_id, day, record.id)
    agreement.key_set_id = record.id
    record.holder_party_id = agreement.owner_id


def _record_loan(session, record: KeySet, actor, loan=None, **data):
    # The loan's year is the day it was lent at the estate (a back-dated loan keeps its year).
    year = estate_today(session, record.estate_id, loan.issued_at).year
    loan.number = next_number(session, "KL", estate_id=record.estate_id, year=year)
    session.add(loan)


def _close_loan(session, record: KeySet, actor, returned_by_name="", condition="intact", door_closed=None,
                contents_intact=None, notes="", returned_at=None, **data):
    loan = open_loan(session, record)
    loan.status = LoanStatus.returned
    loan.returned_at = returned_at or utcnow()
    loan.returned_by_name = text(returned_by_name, 200) or loan.borrower_name
    loan.return_condition = ReturnCondition(condition)
    loan.door_closed, loan.contents_intact = door_closed, contents_intact
    loan.return_notes = text(notes, 400)
    loan.received_by_id = actor.id if actor is not None else None


def _lost(session, record: KeySet, actor, description="", **data):
    description = text(description, 1000)
    loan = open_loan(session, record)
    if loan is not None:
        loan.status = LoanStatus.lost
        loan.return_notes = (description or "lost while on loan")[:400]
    year = estate_today(session, record.estate_id).year
    session.add(LockChangeTask(estate_id=record.estate_id,
                               number=next_number(session, "LC", estate_id=record.estate_id, year=year),
                               key_set_id=record.id, loan_id=loan.id if loan is not None else None,
                               description=description, reported_by_id=actor.id if actor is not None else None))


def _release(session, record: KeySet, actor, note="", from_agreement=None, **data):
    from_agreement = from_agreement if isinstance(from_agreement, CustodyAgreement) else None
    owner = from_agreement.owner if from_agreement is not None else None
    linked = select(CustodyAgreement).where(CustodyAgreement.key_set_id == record.id,
                                            CustodyAgreement.status == CustodyStatus.active)
    for agreement in list(session.scalars(linked)):
        if agreement is not from_agreement:
            owner = owner or agreement.owner
            apply(session, agreement, "end", actor, comment="key released from custody", note=note,
                  from_key_release=INTERNAL)
    owner = owner or record.holder
    if owner is not None:
        record.holder_party_id = owner.id
        _issue_line(session, record, actor, owner, "托管结束, 钥匙交还业主 (custody ended)", S.in_custody)


def key_set_workflow() -> Workflow:
    """The ``keys.key_set`` workflow definition."""
    P = plain_states(KeyStatus)
    states = [
        State(P.with_developer, "With the developer", "开发商持有", initial=True),
        State(P.sealed, "Sealed in the office", "封存于管理处"),
        State(P.issued_to_owner, "Issued to the owner", "已交业主"),
        State(P.in_custody, "In custody", "托管中"),
        State(P.lent, "Lent", "借出"),
        State(P.lost, "Lost", "遗失"),
        State(P.destroyed, "Destroyed", "销毁", final=True),
    ]
    t = Transition
    transitions = [
        t("receive_from_developer", (P.with_developer,), P.sealed, "keys.manage", "Receive from developer",
          "接收开发商钥匙", guards=(_copies_given,), effects=(_copies,), schema=CopiesSchema),
        t("seal", (P.issued_to_owner, P.lost), P.sealed, "keys.manage", "Seal in the office", "封存",
          guards=(_copies_given,), effects=(_seal,), schema=CopiesSchema),
        t("issue_to_owner", (P.sealed,), P.issued_to_owner, "keys.manage", "Issue to owner", "交付业主",
          guards=(_unit_keys_only, _owner_of_unit, _agent_on_file), effects=(_issue,), bulk=False, schema=IssueToOwnerSchema),
        t("take_into_custody", (P.sealed, P.issued_to_owner), P.in_custody, "keys.custody", "Take into custody",
          "托管", guards=(_custody_agreement,), effects=(_into_custody,), bulk=False),
        t("lend", (P.sealed, P.in_custody), P.lent, "keys.lend", "Lend", "借出", guards=(_loan_prepared,),
          effects=(_record_loan,), bulk=False),
        t("return", (P.lent,), P.sealed, "keys.return", "Return", "归还", guards=(_returning_to(P.sealed),),
          effects=(_close_loan,), schema=KeyReturnSchema),
        t("return_to_custody", (P.lent,), P.in_custody, "keys.return", "Return to custody", "归还托管",
          guards=(_returning_to(P.in_custody),), effects=(_close_loan,), schema=KeyReturnSchema),
        t("report_lost", (P.sealed, P.issued_to_owner, P.in_custody, P.lent), P.lost, "keys.report_lost",
          "Report lost", "挂失", effects=(_lost,), requires_comment=True, bulk=False, schema=ReportLostSchema,
          backward=True),  # a loss, not progress: drawn in red and confirmed like a rejection
        t("destroy", (P.with_developer, P.sealed, P.lost), P.destroyed, "keys.manage", "Destroy", "销毁",
          requires_comment=True, bulk=False, backward=True),
        t("release_custody", (P.in_custody,), P.issued_to_owner, "keys.custody", "Release custody",
          "解除托管", effects=(_release,), bulk=False, schema=NoteSchema),
    ]
    return Workflow(name=WORKFLOW, model=KeySet, states=states, transitions=transitions, state_field="status",
                    label="Key set", label_zh="钥匙")
