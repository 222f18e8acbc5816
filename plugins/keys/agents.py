"""An owner's agent (受托人) on the lending register: who may sign for keys instead of the owner.

KF08 §5.3 e and 001 L199: an owner who cannot come delegates with a power of attorney (业主委托书);
the agent brings it with his own ID. Keys go to the agent only when all three are on file: the
agent's name, his ID number and the letter itself (an attachment the actor may see, of the key's
estate). ``check_agent`` returns the values the register line keeps, or raises a
``ValidationError`` naming the missing field, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from core import NotFound, Text, ValidationError, get_attachment
from plugins.keys.records import stripped


@dataclass(frozen=True)
class Agent:
    """The agent as the register line records him."""

    name: str
    id_number: str
    power_of_attorney_id: int


def check_agent(session: Session, actor, estate_id: int, *, agent_name: str = "", agent_id_number: str = "",
                power_of_attorney_id: int | None = None) -> Agent | None:
    """None when no agent is named; else the checked ``Agent``."""
    name, id_number = stripped(agent_name), stripped(agent_id_number)
    if not name and not id_number and power_of_attorney_id is None:
        return None
    if not name:
        raise ValidationError(Text("give the agent's name (受托人姓名)", "请填写受托人姓名"), field="agent_name")
    if len(name) > 200:
        raise ValidationError(Text("the agent's name is at most 200 characters", "受托人姓名最多 200 字"),
                              field="agent_name")
    if not id_number or len(id_number) > 64:
        raise ValidationError(Text("give the agent's ID number (受托人身份证号), up to 64 characters",
                                   "请填写受托人身份证号（最多 64 位）"), field="agent_id_number")
    if power_of_attorney_id is None:
        raise ValidationError(Text("an agent needs the owner's power of attorney on file: upload the 业主委托书 "
                                   "and give its attachment id", "受托人代办须有业主委托书：请先上传委托书"),
                              field="power_of_attorney_id")
    try:
        letter = get_attachment(session, actor, power_of_attorney_id)
    except NotFound:
        letter = None
    if letter is None or letter.estate_id not in (None, estate_id):
        raise ValidationError(Text(f"no power of attorney with attachment id {power_of_attorney_id!r} in this estate; "
                                   "upload the letter first", "找不到本小区的该委托书附件，请先上传委托书"),
                              field="power_of_attorney_id")
    return Agent(name=name, id_number=id_number, power_of_attorney_id=letter.id)
