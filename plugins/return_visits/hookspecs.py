"""The hookspec return_visits publishes (via ``wuye_add_hookspecs``) for the plugins it visits for."""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("wuye")


@hookspec
def wuye_return_visit_sources():
    """Return a list of return-visit sources (回访来源): dicts with the keys

    * ``source``: ``"<plugin>.<record>"``, e.g. ``"repairs.order"`` (a rule names it);
    * ``label`` / ``label_zh``: what the records are, in both languages;
    * ``record_table``: the table of the records (shown on the visit);
    * ``closed_between``: ``callable(session, since, until) -> list[dict]`` of records closed in
      ``[since, until)`` (UTC), each ``{"record_id", "estate_id", "unit_id", "party_id" (or None),
      "phone", "closed_at", "summary", "handled_by_id"}``;
    * ``reopen`` (optional): ``callable(session, record_id, actor, reason) -> None``, called when a
      visit finds the owner unsatisfied (a repair goes back for rework).

    Implement it with ``@hookimpl(optionalhook=True)`` and list ``return_visits`` in ``uses``; results
    of all plugins are concatenated. Called by the job ``return_visits.generate``.
    """


@hookspec
def wuye_return_visit_unsatisfied(session, visit, actor):
    """An owner was unsatisfied and the visited record cannot be reopened (a convenience service, a
    help request): a plugin that takes the dissatisfaction up as a record of its own returns that
    record, e.g. complaints registers a complaint (回访不满意转投诉); None to pass. The first record
    returned counts (the visit's outcome becomes ``complaint_raised``); the supervisors are told in
    any case. Implement it with ``@hookimpl(optionalhook=True)``.
    """
