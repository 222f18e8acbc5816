"""The visit's lifecycle, workflow ``visitors.visit``::

    inside ──depart──▶ left
       └────escort_out (comment required)──▶ escorted_out

A visit is registered ``inside`` (the initial state); the guard registers the departure, and a
squad leader may escort a visitor out (劝离), saying why. Both end the visit.
"""

from __future__ import annotations

from core import State, Transition, Workflow, utcnow
from wuye_visitors.models import Visit


def record_departure(session, record, actor, **data):
    """Effect of both transitions: the visit ends now (same transaction as the state change)."""
    record.left_at = utcnow()


VISIT = Workflow(
    name="visitors.visit", model=Visit, state_field="status", label="Visit", label_zh="来访",
    states=[
        State("inside", "Inside", "在访", initial=True),
        State("left", "Left", "已离开", final=True),
        State("escorted_out", "Escorted out", "已劝离", final=True),
    ],
    transitions=[
        Transition("depart", ("inside",), "left", "visitors.register",
                   label="Register departure", label_zh="离开登记", effects=(record_departure,)),
        Transition("escort_out", ("inside",), "escorted_out", "visitors.escort_out",
                   label="Escort out", label_zh="劝离", requires_comment=True, bulk=False,
                   effects=(record_departure,)),
    ],
)


def workflows() -> list[Workflow]:
    return [VISIT]
