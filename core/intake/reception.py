"""Reception (来电来访登记): registering what arrives, routing it to the plugin that handles it, or
answering it at the front desk. Every change is attributed to the actor in the activity trail."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from core.activity import acting_as
from core.clock import estate_today, utcnow
from core.errors import Conflict, ValidationError
from core.intake.handlers import ANSWERED_HERE, EXPECTED_PLUGINS, handler_for
from core.intake.schemas import IntakeSchema
from core.models import Estate, Party, Unit
from core.models.intake import Intake, IntakeCategory, IntakeStatus
from core.scoping import authorize
from core.sequences import next_number
from core.text import Text
from core.validation import load

FUTURE_SLACK = dt.timedelta(minutes=10)  # clocks of phones and PCs differ a little; more is a typo


def register_intake(session: Session, actor, *, now: dt.datetime | None = None, **data) -> Intake:
    """Register a reception record (来电来访登记) and return it (numbered ``JD-YYYY-NNNNNN``).

    ``data`` is what :class:`~core.intake.schemas.IntakeSchema` accepts: ``category`` and ``summary``
    are required; the estate is the unit's (``unit_id``) or ``estate_id``; the caller is a known
    party (``party_id``, whose name and phone fill in blanks) or a stranger's ``caller_name`` and
    ``caller_phone`` (a phone is needed to call back and to tell them when it is resolved);
    ``received_at`` defaults to ``now``. Bad input raises ``ValidationError`` naming the field, before
    anything is written.
    """
    values = load(IntakeSchema, data)
    now = now or utcnow()
    errors: dict[str, list] = {}
    unit = estate = party = None
    if values.get("unit_id") is not None:
        unit = session.get(Unit, values["unit_id"])
        if unit is None:
            errors["unit_id"] = [Text(f"no unit with id {values['unit_id']}", f"没有编号为 {values['unit_id']} 的房屋")]
    estate_id = values.get("estate_id")
    if unit is not None:
        if estate_id is not None and estate_id != unit.estate_id:
            errors["estate_id"] = [Text("the unit belongs to another estate; leave the estate empty or pick the "
                                        "unit's", "所选房屋不属于该小区；小区可留空或选房屋所在小区")]
        estate_id = unit.estate_id
    if estate_id is None and "unit_id" not in errors:
        errors["estate_id"] = [Text("give the unit, or the estate when no unit is concerned",
                                    "请选择房屋；不涉及房屋时请选择小区")]
    elif estate_id is not None:
        estate = session.get(Estate, estate_id)
        if estate is None:
            errors["estate_id"] = [Text(f"no estate with id {estate_id}", f"没有编号为 {estate_id} 的小区")]
    if values.get("party_id") is not None:
        party = session.get(Party, values["party_id"])
        if party is None:
            errors["party_id"] = [Text(f"no party with id {values['party_id']}", f"没有编号为 {values['party_id']} 的业主/住户")]
    name, phone = values["caller_name"].strip(), values["caller_phone"].strip()
    if party is None and "party_id" not in errors and not phone:
        errors["caller_phone"] = [Text("give the caller's phone (or choose the caller among the owners and tenants)",
                                       "请填写来电/来访人的联系电话（或选择已登记的业主/住户）")]
    received_at = values.get("received_at") or now
    if received_at > now + FUTURE_SLACK:
        errors["received_at"] = [Text("the time received is in the future; give the time the call or visit came in",
                                      "受理时间晚于现在；请填写实际来电/来访时间")]
    if errors:
        raise ValidationError(errors)
    authorize(session, actor, "core.intake.register", estate_id)
    if party is not None:  # fill blanks from the register, keep what the caller said otherwise
        name, phone = name or party.name, phone or party.phone
    year = estate_today(session, estate_id, now=received_at).year
    intake = Intake(number=next_number(session, "JD", estate_id=estate_id, year=year), estate_id=estate_id,
                    unit_id=unit.id if unit else None, party_id=party.id if party else None, caller_name=name,
                    caller_phone=phone, channel=values["channel"], category=values["category"],
                    summary=values["summary"].strip(), content=values["content"], received_at=received_at,
                    received_by_id=getattr(actor, "id", None), status=IntakeStatus.new)
    with acting_as(session, actor):
        session.add(intake)
        session.flush()
    return intake


def _require_new(intake: Intake, doing: Text) -> None:
    if IntakeStatus(intake.status) != IntakeStatus.new:
        en, zh = IntakeStatus.__labels__[IntakeStatus(intake.status).value]
        raise Conflict(Text(f"{intake.number} is already {en.lower()}; only a new record can be {doing.en}",
                            f"{intake.number} 已{zh.removeprefix('已')}，只有待处理的登记才能{doing.zh}"), field="status")


def _no_handler(category: str) -> ValidationError:
    en, zh = IntakeCategory.__labels__[category]
    if category in ANSWERED_HERE:
        return ValidationError(Text(f"{en} is answered here at the front desk: answer it instead of routing it",
                                    f"{zh}类由前台直接答复，请答复而不是转派"), field="category")
    plugin = EXPECTED_PLUGINS.get(category)
    hint = f"the {plugin} plugin handles it" if plugin else "a plugin that handles it"
    return ValidationError(Text(f"no enabled plugin handles {en.lower()} records ({hint}; ask the administrator to "
                                "enable it), or answer it here at the front desk",
                                f"没有启用处理{zh}的模块（{plugin or '相应模块'}），请联系管理员启用，或由前台直接答复"),
                           field="category")


def route_intake(session: Session, intake: Intake, actor) -> object:
    """Route a new reception record to the plugin that handles its category; returns the new record.

    The handler (hook ``wuye_intake_handlers``) creates the plugin's record; the reception record is
    linked to it (``routed_table``, ``routed_id``) and becomes ``routed``. No handler enabled for the
    category: ``ValidationError`` on ``category`` saying which plugin would handle it, or that it is
    answered at the front desk; nothing is changed.
    """
    authorize(session, actor, "core.intake.route", intake)
    _require_new(intake, Text("routed", "转派"))
    handler = handler_for(session, IntakeCategory(intake.category).value)
    if handler is None:
        raise _no_handler(IntakeCategory(intake.category).value)
    if handler.permission:
        authorize(session, actor, handler.permission, intake)
    with acting_as(session, actor):
        record = handler.create(session, intake, actor)
        if record is None:
            raise TypeError(f"plugin '{handler.plugin}': its intake handler for '{handler.category}' returned None; "
                            "it must return the record it created")
        session.add(record)
        session.flush()
        identity = inspect(record).identity
        intake.routed_table = inspect(type(record)).local_table.name
        intake.routed_id = identity[0] if identity and len(identity) == 1 else None
        intake.status = IntakeStatus.routed
        session.flush()
    return record


def answer_intake(session: Session, intake: Intake, actor, reply: str, *, now: dt.datetime | None = None) -> Intake:
    """Answer a new reception record at the front desk (inquiries, suggestions, praise) and close it.

    A repair, complaint or help request whose plugin is enabled is routed there instead (the
    plugin owns its follow-up); with no such plugin, the desk may answer it too.
    """
    authorize(session, actor, "core.intake.register", intake)
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError(Text("write the answer given to the caller", "请填写给来电人的答复"), field="reply")
    if len(reply) > 4000:
        raise ValidationError(Text("the answer is longer than 4000 characters", "答复超过 4000 字"), field="reply")
    _require_new(intake, Text("answered", "答复"))
    category = IntakeCategory(intake.category).value
    if category not in ANSWERED_HERE:
        handler = handler_for(session, category)
        if handler is not None:
            en, zh = IntakeCategory.__labels__[category]
            raise ValidationError(Text(f"{en.lower()} records go to {handler.label}: route it there",
                                       f"{zh}类应转派到{handler.label_zh}处理"), field="category")
    with acting_as(session, actor):
        intake.reply, intake.replied_at = reply, now or utcnow()
        intake.replied_by_id = getattr(actor, "id", None)
        intake.status = IntakeStatus.answered
        session.flush()
    return intake


def close_intake(session: Session, intake: Intake, actor, reason: str, *, now: dt.datetime | None = None) -> Intake:
    """Close a new reception record that needs nothing more (wrong number, the caller hung up, a repeat
    of a call already handled); ``reason`` is kept as the record's reply."""
    authorize(session, actor, "core.intake.register", intake)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(Text("say why it needs nothing more (wrong number, repeat of JD-...)",
                                   "请填写关闭原因（打错电话、重复来电等）"), field="reason")
    if len(reason) > 4000:
        raise ValidationError(Text("the reason is longer than 4000 characters", "关闭原因超过 4000 字"), field="reason")
    _require_new(intake, Text("closed", "关闭"))
    with acting_as(session, actor):
        intake.reply, intake.replied_at = reason, now or utcnow()
        intake.replied_by_id = getattr(actor, "id", None)
        intake.status = IntakeStatus.closed
        session.flush()
    return intake
