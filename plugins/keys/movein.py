"""Issuing keys at move-in (交付钥匙, spec 2.3 step 7, KF08 §5.4.6).

Keys go to an owner only as an explicit act with the owner, or his agent holding the owner's power
of attorney (业主委托书), at the desk: the person signs the 钥匙领(借)用登记表. Nothing issues keys by
itself when a unit's status changes (an earlier version did, "signed by the owner" with nobody
present). The move-in plugin calls ``issue_keys_at_move_in`` at its keys step; a desk without that
plugin uses the key set's ``issue_to_owner`` button.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from core import Conflict, Text, ValidationError, authorize, estate_today, owners_of
from core.models import Party, StaffUser, Unit
from plugins.keys.agents import check_agent
from plugins.keys.custody import issue_to_owner
from plugins.keys.models import KeySet, KeyStatus
from plugins.keys.register import key_sets_of_unit


def issue_keys_at_move_in(session: Session, actor: StaffUser | None, unit: Unit, *, owner: Party | int,
                          agent_name: str = "", agent_id_number: str = "", power_of_attorney_id: int | None = None,
                          key_sets: Iterable[KeySet | int] | None = None, detail: str = "") -> list[KeySet]:
    """Issue the unit's sealed key sets (or ``key_sets``) to ``owner``, who signs in person, or to
    the owner's agent (``agent_name``, ``agent_id_number`` and the ``power_of_attorney_id``
    attachment all given). Returns the key sets issued, each with its line on the register.

    Refused, changing nothing: an owner who does not own the unit today (``owner_id``), an agent
    without the power of attorney (``power_of_attorney_id``), no sealed key of the unit in the office
    (``key_set_id``: receive them from the developer first).
    """
    authorize(session, actor, "keys.manage", unit)
    party = owner if isinstance(owner, Party) else session.get(Party, owner) if owner is not None else None
    if party is None:
        raise ValidationError(Text("name the owner who receives the keys", "请选择领取钥匙的业主"), field="owner_id")
    if all(p.id != party.id for p in owners_of(session, unit, estate_today(session, unit.estate_id))):
        raise ValidationError(Text(f"{party.name} does not own unit {unit.label}; only an owner, or his agent with "
                                   "a power of attorney, signs for the keys",
                                   f"{party.name} 不是房屋 {unit.label} 的业主；只有业主或持委托书的受托人可领取钥匙"),
                              field="owner_id")
    agent = check_agent(session, actor, unit.estate_id, agent_name=agent_name, agent_id_number=agent_id_number,
                        power_of_attorney_id=power_of_attorney_id)
    if key_sets is None:
        chosen = key_sets_of_unit(session, unit.id, KeyStatus.sealed)
    else:
        chosen = [ks if isinstance(ks, KeySet) else session.get(KeySet, ks) for ks in key_sets]
        if any(ks is None or ks.unit_id != unit.id for ks in chosen):
            raise ValidationError(Text(f"choose key sets of unit {unit.label}", f"请选择房屋 {unit.label} 的钥匙"),
                                  field="key_set_id")
    if not chosen:
        raise Conflict(Text(f"no key of unit {unit.label} is sealed in the office; receive the keys from the "
                            "developer first", f"管理处没有房屋 {unit.label} 封存的钥匙，请先接收开发商移交的钥匙"),
                       field="key_set_id")
    extra = {"agent": agent} if agent is not None else {}
    return [issue_to_owner(session, actor, ks, owner=party, detail=detail, **extra) for ks in chosen]
