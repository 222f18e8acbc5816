"""The record page of generated screens: the workflow status bar, the transitions the user may run
and the activity timeline (a mixin of ``WuyeModelView``)."""

from __future__ import annotations

import enum

from core.web.context import actor, db
from core.web.i18n import gettext, pick
from core.web.integration import timeline


class RecordPageMixin:
    """Adds the status bar, transitions and activity to the details and edit pages."""

    # --- record pages: status bar, transitions and activity --------------------------------
    def record_context(self, record) -> dict:
        wf = self.workflow
        ctx = {"workflow": wf, "states": [], "transitions": [], "activity": [], "current_state": None}
        if wf is not None:
            current = getattr(record, wf.state_field)
            current = current.value if isinstance(current, enum.Enum) else current
            ctx["current_state"] = current
            ctx["states"] = [(s.name, pick(s.label or s.name, s.label_zh), s.final) for s in wf.states]
            from core.web.integration import allowed_transitions

            ctx["transitions"] = [(t.name, pick(t.label or t.name, t.label_zh), t.requires_comment)
                                  for t in allowed_transitions(db(), record, actor())]
        actions = {"create": gettext("created"), "update": gettext("changed"), "delete": gettext("deleted"),
                   "transition": gettext("moved on"), "comment": gettext("commented"),
                   "attachment": gettext("attached a file"), "escalate": gettext("escalated")}
        entries = timeline(db(), self.model, record.id)
        for e in entries[:100]:
            e["at_text"] = e["at"].astimezone(self._tz()).strftime("%Y-%m-%d %H:%M") if e["at"] else ""
            e["action_text"] = actions.get(e["action"], e["action"])
            if wf is not None and e["action"] == "transition":
                t = next((t for t in wf.transitions if t.name == e["detail"]), None)
                e["detail"] = pick(t.label or t.name, t.label_zh) if t else e["detail"]
            e["changes"] = {str(self.label_for(k)): self._change_text(k, v)
                            for k, v in list(e["changes"].items())[:20]}
        ctx["activity"] = entries[:100]
        return ctx

    def _change_text(self, field: str, change):
        wf = self.workflow
        if not isinstance(change, list | tuple) or len(change) != 2:
            return ["", change]
        if wf is not None and field == wf.state_field:
            return [str(self.enum_label(v)) if v else "" for v in change]
        return ["" if v is None else v for v in change]

    def render(self, template, **kwargs):
        record = kwargs.get("model")
        if record is not None and template in (self.details_template, self.edit_template):
            kwargs.update(self.record_context(record))
        kwargs.setdefault("wuye_view", self)
        return super().render(template, **kwargs)
