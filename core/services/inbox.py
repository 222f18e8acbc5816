"""The to-do inbox (待办): what waits for one staff user, most urgent first.

Four sources, all limited to the user's estates:

1. records waiting for a transition the user may take: for every registered workflow shown in an
   admin screen, the records whose state is a source of a *forward* transition whose permission the
   user holds (the engineer sees applications in 工程二审). Backward moves (cancel, reject,
   withdraw, report lost...) are no reason to act, and states a record moves in and out of in both
   directions (a key ``sealed`` <-> ``lent``) are where things rest, not to-dos;
2. open deadlines (SLA timers) of those workflows that are overdue or due within a day;
3. overdue deadlines escalated to one of the user's roles;
4. what every plugin adds through ``wuye_inbox_items(session, actor, today)`` (keys overdue,
   arrears follow-ups...).

Queries stay bounded at any size: each list reads at most :data:`LIMIT` rows and each count stops at
:data:`CAP` (shown as "99+"); both use the state column and the deadline indexes.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import RelationshipProperty, Session, selectinload

from core.clock import as_utc, utcnow
from core.context import wuye_of
from core.models.property import Unit
from core.models.workflow import WorkflowDeadline
from core.notifications.inbox import add_unread
from core.scoping import scoped_select, visible_estate_ids
from core.security.grants import has_permission
from core.text import Text
from core.workflow.overrides import overrides_of

log = logging.getLogger(__name__)

LIMIT = 20  # rows listed per group
CAP = 99  # counts stop here: "99+"
SOON = dt.timedelta(days=1)  # a deadline due within this is "due soon"
# Words of transition names that are no reason to act, besides the engine's backward moves (reject,
# cancel, withdraw...: ``Transition.is_backward``): ending, destroying or losing something.
NOT_TODO_WORDS = frozenset({"cancel", "reject", "withdraw", "void", "revoke", "destroy", "lost", "suspend",
                            "escalate", "end", "release", "supersede", "reopen"})


@dataclass(frozen=True)
class InboxItem:
    """One to-do (待办) in a user's inbox.

    ``kind`` groups items (``transition``, ``deadline``, ``escalation`` from core; a plugin uses its
    own, e.g. ``keys.overdue``); ``group`` is the heading shown for the kind (``core.Text``);
    ``title`` says what to do and ``label`` names the record (``RN-2026-0001 3-1-1201``); ``url``
    opens it (core fills it from ``view`` and ``record_id`` when empty). ``due_at`` (UTC) or
    ``due_on`` (a business date) is when it is due; ``overdue`` marks it late. ``count`` is set for
    an aggregated item ("12 arrears cases to follow up") and counts toward the group.
    """

    kind: str
    title: str
    label: str = ""
    url: str = ""
    group: str = ""
    due_at: dt.datetime | None = None
    due_on: dt.date | None = None
    overdue: bool = False
    estate_id: int | None = None
    count: int | None = None
    view: str = ""
    record_id: int | None = None
    state: str = ""

    def urgency(self) -> tuple:
        """Sort key: overdue first, then by due time (undated last)."""
        when = self.due_at.date() if self.due_at is not None else self.due_on
        return (0 if self.overdue else 1, when is None, when or dt.date.min, str(self.label))


@dataclass
class Inbox:
    """The inbox of one user: ``items`` most urgent first; ``counts[kind] = (n, capped)``."""

    items: list[InboxItem] = field(default_factory=list)
    counts: dict[str, tuple[int, bool]] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    late: int = 0  # core's overdue deadlines (capped), counted even when no rows are read
    listed: set = field(default_factory=set)  # (workflow, record id) listed under their workflow

    # "deadline" counts records that the transition kinds count already: it is shown, not added.
    SUBSET_KINDS = ("deadline",)

    @property
    def total(self) -> int:
        return sum(n for kind, (n, _capped) in self.counts.items() if kind not in self.SUBSET_KINDS)

    @property
    def overdue(self) -> int:
        """Overdue to-dos: core's overdue deadlines plus the plugins' overdue items (each record once)."""
        core_kinds = ("deadline", "escalation")
        return self.late + sum(1 for i in self.items
                               if i.overdue and i.kind not in core_kinds and not i.kind.startswith("transition:"))


def shown_count(n: int, capped: bool) -> str:
    """``"99+"`` when the count stopped at the cap."""
    return f"{CAP}+" if capped or n > CAP else str(n)


def is_backward(transition) -> bool:
    """A move back or out (cancel, reject, withdraw, report lost...): never a reason for a to-do."""
    if getattr(transition, "is_backward", False):
        return True
    return not NOT_TODO_WORDS.isdisjoint(transition.name.split("_"))


def waiting_states(workflow, may) -> dict[str, object]:
    """``{state: forward transition}`` of the states where a record waits for a holder of ``may``.

    ``may(permission) -> bool``. States joined both ways by forward (or returning) transitions are
    resting places: a key ``sealed`` <-> ``lent`` waits for nobody.
    """
    forward = [t for t in workflow.transitions if not is_backward(t)]
    # A thing that goes out and comes back (lend / return, return_to_custody) rests at both ends.
    moves = forward + [t for t in workflow.transitions if t.name.startswith("return") and t not in forward]
    pairs = {(s, t.target) for t in moves for s in t.sources}
    resting = {s for s, target in pairs if (target, s) in pairs}
    out: dict[str, object] = {}
    for t in forward:
        if not may(t.permission):
            continue
        for s in t.sources:
            if s not in resting and s not in out:
                out[s] = t
    return out


def _screens(wuye) -> list[tuple[str, object]]:
    """``(view name, workflow)`` of every admin screen that shows a registered workflow."""
    out = []
    for _plugin, specs in wuye.call_each("wuye_admin_views"):
        for spec in specs or ():
            wf = wuye.registry.workflows.get(getattr(spec, "workflow", None) or "")
            if wf is not None and getattr(spec, "model", None) is wf.model:
                out.append((spec.name, wf))
    return out


def _capped_count(session: Session, stmt) -> tuple[int, bool]:
    n = session.scalar(select(func.count()).select_from(stmt.limit(CAP + 1).subquery())) or 0
    return min(n, CAP), n > CAP


def _text(en: str, zh: str) -> Text:
    return Text(en or zh, zh or en)


def transition_items(session: Session, actor, wuye, now: dt.datetime, inbox: Inbox, rows: bool = True) -> None:
    """Source 1 (and the due times of what it lists)."""
    for view, wf in _screens(wuye):
        disabled, _second = overrides_of(wuye, wf)
        states = waiting_states(wf, lambda p: has_permission(session, actor, p))
        states = {s: t for s, t in states.items() if t.name not in disabled}
        if not states:
            continue
        column = getattr(wf.model, wf.state_field)
        pk = wf.model.__mapper__.primary_key[0]
        base = scoped_select(session, actor, wf.model).where(column.in_(list(states)))
        n, capped = _capped_count(session, base.with_only_columns(pk))
        if not n:
            continue
        kind = f"transition:{wf.name}"
        inbox.counts[kind] = (n, capped)
        inbox.groups[kind] = _text(wf.label, wf.label_zh) if (wf.label or wf.label_zh) else wf.name
        if not rows:
            continue
        unit = getattr(wf.model, "unit", None)
        # The label shows the unit as "3-1-1201", which reads its building: both in one more query, not 20.
        eager = ()
        if isinstance(getattr(unit, "property", None), RelationshipProperty):
            load = selectinload(unit)
            eager = (load.joinedload(Unit.building) if unit.property.mapper.class_ is Unit else load,)
        # Those due first come first (overdue at the top), then the longest waiting: the open deadline
        # of each record is found through its (record_table, record_id) index.
        clock = and_(WorkflowDeadline.record_table == wf.model.__tablename__, WorkflowDeadline.record_id == pk,
                     *_running())
        found = session.execute(base.add_columns(WorkflowDeadline.due_at).outerjoin(WorkflowDeadline, clock)
                                .options(*eager).order_by(WorkflowDeadline.due_at.is_(None), WorkflowDeadline.due_at,
                                                          pk).limit(LIMIT)).all()
        for record, due_at in found:
            state = getattr(record, wf.state_field)
            state = getattr(state, "value", state)
            t = states.get(state)
            st = wf.state(state)
            when = as_utc(due_at) if due_at is not None else None
            inbox.listed.add((wf.name, record.id))
            inbox.items.append(InboxItem(
                kind=kind, group=inbox.groups[kind], title=_text(t.label or t.name, t.label_zh),
                label=_label(record), view=view, record_id=record.id, state=_text(st.label, st.label_zh),
                due_at=when, overdue=when is not None and when <= now, estate_id=getattr(record, "estate_id", None)))


def _label(record) -> str:
    """The record and, when it has one, its unit (``RN-2026-000002 · 3-1-1201``): what staff recognise."""
    unit = getattr(record, "unit", None)
    label = getattr(unit, "label", None)
    return f"{record} · {label}" if label and label not in str(record) else str(record)


def _running():
    """Open deadlines whose clock runs: a paused one (the record waits for the owner) is never due."""
    paused = getattr(WorkflowDeadline, "paused_at", None)
    return (WorkflowDeadline.closed_at.is_(None),) + (() if paused is None else (paused.is_(None),))



def deadline_items(session: Session, actor, wuye, now: dt.datetime, inbox: Inbox, rows: bool = True) -> None:
    """Sources 2 and 3: deadlines due soon or overdue on records the user may move, and escalations."""
    estates = visible_estate_ids(session, actor)
    views = {wf.name: view for view, wf in _screens(wuye)}
    roles = sorted(getattr(actor, "role_names", set()))

    def scoped(stmt):
        return stmt if estates is None else stmt.where(WorkflowDeadline.estate_id.in_(list(estates)))

    open_ = _running()
    # Deadlines of records waiting for the user: (workflow, state) pairs the user may move on.
    mine = [and_(WorkflowDeadline.workflow == name, WorkflowDeadline.state.in_(list(states)))
            for name, wf in wuye.registry.workflows.items() if name in views
            for states in [waiting_states(wf, lambda p: has_permission(session, actor, p))] if states]
    sources = [("deadline", Text("Due soon or overdue", "即将到期或已超时"),
                (*open_, WorkflowDeadline.due_at <= now + SOON, or_(false(), *mine)))]
    if roles:
        sources.append(("escalation", Text("Escalated to you", "上报给我"),
                        (*open_, WorkflowDeadline.escalated_at.is_not(None),
                         WorkflowDeadline.escalate_to.in_(roles))))
    for kind, group, criteria in sources:
        stmt = scoped(select(WorkflowDeadline).where(*criteria))
        n, capped = _capped_count(session, stmt.with_only_columns(WorkflowDeadline.id))
        if not n:
            continue
        inbox.counts[kind], inbox.groups[kind] = (n, capped), group
        if kind == "deadline":
            late = stmt.where(WorkflowDeadline.due_at <= now).with_only_columns(WorkflowDeadline.id)
            inbox.late = _capped_count(session, late)[0]
        if not rows:
            continue
        for row in session.scalars(stmt.order_by(WorkflowDeadline.due_at, WorkflowDeadline.id).limit(LIMIT)):
            if kind == "deadline" and (row.workflow, row.record_id) in inbox.listed:
                continue  # already listed (with its due time) under its workflow
            wf = wuye.registry.workflows.get(row.workflow)
            try:
                st = wf.state(row.state) if wf else None
            except KeyError:
                st = None
            due = as_utc(row.due_at)
            what = _text(st.label, st.label_zh) if st else row.state
            inbox.items.append(InboxItem(
                kind=kind, group=group, title=what, label=f"{_text(wf.label, wf.label_zh) if wf else row.workflow}"
                f" #{row.record_id}", view=views.get(row.workflow, ""), record_id=row.record_id, due_at=due,
                overdue=due <= now, estate_id=row.estate_id, state=what))


def plugin_items(session: Session, actor, wuye, today: dt.date, inbox: Inbox) -> None:
    """Source 4; a plugin whose hook fails is logged and skipped, never breaking the inbox."""
    estates = visible_estate_ids(session, actor)
    for impl in wuye.hook.wuye_inbox_items.get_hookimpls():
        try:
            found = impl.function(session=session, actor=actor, today=today)
        except Exception:  # one broken plugin must not take every user's inbox down
            log.exception("wuye_inbox_items of plugin %s failed", impl.plugin_name)
            continue
        for item in found or ():
            if not isinstance(item, InboxItem):
                continue
            if estates is not None and item.estate_id is not None and item.estate_id not in estates:
                continue  # a plugin's slip must not show another estate's record
            n, capped = inbox.counts.get(item.kind, (0, False))
            n += item.count if item.count is not None else 1
            inbox.counts[item.kind] = (min(n, CAP), capped or n > CAP)
            inbox.groups.setdefault(item.kind, item.group or item.kind)
            inbox.items.append(item)


def inbox_for(session: Session, actor, today: dt.date, *, now: dt.datetime | None = None, rows: bool = True) -> Inbox:
    """The inbox of ``actor`` on business date ``today`` (``now``: the instant deadlines compare to).

    ``rows=False`` counts only (the top bar on other pages): core's kinds read no rows, so ``items``
    holds only what plugins returned.
    """
    inbox = Inbox()
    if actor is None or not getattr(actor, "active", False):
        return inbox
    wuye = wuye_of(session)
    now = now or utcnow()
    transition_items(session, actor, wuye, now, inbox, rows)
    deadline_items(session, actor, wuye, now, inbox, rows)
    from core.assignment.inbox import assignment_items  # assigned to me, offered to my team (抢单)

    for kind, group, counted, found in assignment_items(session, actor, wuye, now, rows):
        inbox.counts[kind], inbox.groups[kind] = counted, group
        inbox.items.extend(InboxItem(kind=kind, group=group, **kw) for kw in found)
    plugin_items(session, actor, wuye, today, inbox)
    add_unread(session, actor, inbox, InboxItem, rows=rows)  # unread in-app notifications (我的消息)
    inbox.items.sort(key=InboxItem.urgency)
    return inbox


def count_for(session: Session, actor) -> tuple[int, bool]:
    """The top bar's number: records waiting for the user's transitions plus overdue deadlines (capped)."""
    if actor is None or not getattr(actor, "active", False):
        return 0, False
    wuye = wuye_of(session)
    total, capped = 0, False
    for _view, wf in _screens(wuye):
        disabled, _second = overrides_of(wuye, wf)
        states = [s for s, t in waiting_states(wf, lambda p: has_permission(session, actor, p)).items()
                  if t.name not in disabled]
        if not states:
            continue
        pk = wf.model.__mapper__.primary_key[0]
        stmt = scoped_select(session, actor, wf.model).where(getattr(wf.model, wf.state_field).in_(states))
        n, c = _capped_count(session, stmt.with_only_columns(pk))
        total, capped = total + n, capped or c
        if total > CAP:
            return CAP, True
    return total, capped
