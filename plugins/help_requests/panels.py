"""Help requests on the unit's page and in the top-bar search (standard answers by keyword,
requests by number)."""

from __future__ import annotations

from sqlalchemy import func

from core import Panel, SearchHit, Text, get_workflow, has_permission, scoped_select
from plugins.help_requests.answers import find_answers
from plugins.help_requests.models import CATEGORIES, TOPICS, HelpRequest

VIEW = "help_requests.view"


def state_label(session, value: str):
    for state in get_workflow(session, "help_requests.request").states:
        if state.name == value:
            return Text(state.label, state.label_zh)
    return value


def category_label(value: str):
    entry = CATEGORIES.get(value)
    return Text(entry[1], entry[2]) if entry else value


def unit_panels(session, actor, unit) -> list[Panel]:
    """The unit's latest help requests, open emergencies flagged."""
    if not has_permission(session, actor, VIEW):
        return []
    requests = list(session.scalars(scoped_select(session, actor, HelpRequest).where(HelpRequest.unit_id == unit.id)
                                    .order_by(HelpRequest.received_at.desc(), HelpRequest.id.desc()).limit(10)))
    rows = []
    for r in requests:
        urgent = r.kind == "emergency" and r.status in ("received", "responding")
        rows.append([Panel.link(r.number, "help_requests_requests", r.id, level="danger" if urgent else ""),
                     Panel.flag(category_label(r.category), "danger") if r.kind == "emergency"
                     else category_label(r.category),
                     r.received_at.date(), state_label(session, r.status)])
    actions = []
    if has_permission(session, actor, "help_requests.register"):
        actions.append(Panel.action(Text("Register a help request", "登记求助"), "help_requests_requests",
                                    unit_id=unit.id))
    return [Panel(title="Help requests", title_zh="求助记录", key="help_requests", rows=rows, actions=actions,
                  columns=[Text("Number", "编号"), Text("Category", "类别"), Text("Received", "受理日期"),
                           Text("Status", "状态")],
                  empty=Text("No help requests.", "暂无求助记录。"), order=50)]


def party_panels(session, actor, party) -> list[Panel]:
    """The help requests the owner or tenant made (the latest ten); nothing when there are none."""
    if not has_permission(session, actor, VIEW):
        return []
    requests = list(session.scalars(scoped_select(session, actor, HelpRequest).where(HelpRequest.party_id == party.id)
                                    .order_by(HelpRequest.received_at.desc(), HelpRequest.id.desc()).limit(10)))
    if not requests:
        return []
    rows = [[Panel.link(r.number, "help_requests_requests", r.id), category_label(r.category), r.received_at.date(),
             state_label(session, r.status)] for r in requests]
    return [Panel(title="Help requests", title_zh="求助记录", key="help_requests", rows=rows,
                  columns=[Text("Number", "编号"), Text("Category", "类别"), Text("Received", "受理日期"),
                           Text("Status", "状态")], order=50)]


def search(session, actor, query: str) -> list[SearchHit]:
    """Standard answers containing the words searched (rank 20), help requests by number (rank 0/5)."""
    q = query.strip()
    if not has_permission(session, actor, VIEW) or len(q) < 2:
        return []
    hits = []
    if q.upper().startswith("HR-"):
        like = q.upper().replace("%", "").replace("_", "") + "%"
        for r in session.scalars(scoped_select(session, actor, HelpRequest)
                                 .where(func.upper(HelpRequest.number).like(like)).order_by(HelpRequest.number)
                                 .limit(10)):
            hits.append(SearchHit(kind=Text("Help request", "求助登记"), title=r.number,
                                  subtitle=" · ".join(p for p in (r.unit.label if r.unit else r.location,
                                                                  r.caller_name) if p),
                                  view="help_requests_requests", record_id=r.id, rank=0 if r.number == q.upper() else 5))
        return hits
    for answer in find_answers(session, actor, q):
        topic = TOPICS.get(answer.topic, (answer.topic, answer.topic))
        hits.append(SearchHit(kind=Text(f"Standard answer · {topic[0]}", f"服务口径 · {topic[1]}"),
                              title=answer.question, subtitle=answer.answer[:120],
                              view="help_requests_answers", record_id=answer.id, rank=20))
    return hits
