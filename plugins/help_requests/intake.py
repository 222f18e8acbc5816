"""The reception desk (来电来访登记): a call or visit of category ``help`` becomes a help request.

The category is guessed from the words of the summary and content (火 → fire, 困电梯 → lift
entrapment, ...); a call that matches nothing is "other help". An emergency routed here is alerted
at once, like one registered directly.
"""

from __future__ import annotations

from core import IntakeHandler

# first match wins: emergencies before ordinary help
GUESSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fire", ("火", "冒烟", "烟雾")),
    ("gas", ("燃气", "煤气", "天然气")),
    ("lift_entrapment", ("困电梯", "电梯困", "困在电梯", "关在电梯")),
    ("medical", ("急救", "晕倒", "昏迷", "受伤", "120")),
    ("flooding", ("水浸", "淹", "水管爆", "爆管")),
    ("lost_child", ("走失", "孩子不见", "小孩不见")),
    ("locked_out", ("锁门外", "忘带钥匙", "钥匙锁", "开门")),
    ("elderly", ("老人",)),
)


def guess_category(text: str) -> str:
    """The help category whose words appear in ``text``, else ``other_help``."""
    for category, words in GUESSES:
        if any(word in text for word in words):
            return category
    return "other_help"


def from_intake(session, intake, actor):
    """``IntakeHandler.create``: the help request of a reception record (same caller, unit, time)."""
    from plugins.help_requests.handling import register_request

    text = f"{intake.summary} {intake.content}"
    channel = getattr(intake.channel, "value", intake.channel)
    data = {"estate_id": intake.estate_id, "unit_id": intake.unit_id, "party_id": intake.party_id,
            "caller_name": intake.caller_name or "", "caller_phone": intake.caller_phone or "",
            "category": guess_category(text), "channel": channel if channel in ("phone", "walk_in", "portal",
                                                                               "wechat", "letter") else "phone",
            "location": "" if intake.unit_id else (intake.summary or "")[:200],
            "description": (intake.content or intake.summary or "")[:4000]}
    return register_request(session, actor, data, received_at=intake.received_at, intake_id=intake.id)


def handlers() -> list[IntakeHandler]:
    return [IntakeHandler("help", "Route to help requests", "转为求助登记", from_intake,
                          permission="help_requests.register")]
