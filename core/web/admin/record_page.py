"""The record page of generated screens: the workflow status bar, the transitions the user may run
and the activity timeline (a mixin of ``WuyeModelView``).

The status bar shows the path the record took (the states it passed through, with dates, read from
its activity), then the current state highlighted, then the states one transition away; not every
state of the workflow flat. Backward transitions (reject, cancel...) are red and ask for confirmation.
"""

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
        ctx = {"workflow": wf, "states": [], "transitions": [], "activity": [], "current_state": None,
               "path": [], "next_states": []}
        entries = timeline(db(), self.model, record.id)  # newest first
        if wf is not None:
            current = getattr(record, wf.state_field)
            current = current.value if isinstance(current, enum.Enum) else current
            ctx["current_state"] = current
            ctx["states"] = [(s.name, pick(s.label or s.name, s.label_zh), s.final) for s in wf.states]
            from core.web.integration import allowed_transitions

            allowed = allowed_transitions(db(), record, actor())
            ctx["transitions"] = [
                {"name": t.name, "label": pick(t.label or t.name, t.label_zh), "requires_comment": t.requires_comment,
                 "backward": t.is_backward, "target": self._state_label(t.target)} for t in allowed]
            ctx["path"] = self._path(wf, entries, current)
            seen = set()
            for t in allowed:
                if t.target not in seen and t.target != current:
                    seen.add(t.target)
                    ctx["next_states"].append((t.target, self._state_label(t.target), t.is_backward))
        actions = {"create": gettext("created"), "update": gettext("changed"), "delete": gettext("deleted"),
                   "transition": gettext("moved on"), "comment": gettext("commented"),
                   "attachment": gettext("attached a file"), "escalate": gettext("escalated")}
        for e in entries[:100]:
            e["at_text"] = e["at"].astimezone(self._tz()).strftime("%Y-%m-%d %H:%M") if e["at"] else ""
            e["action_text"] = actions.get(e["action"], e["action"])
            if wf is not None and e["action"] == "transition":
                t = next((t for t in wf.transitions if t.name == e["detail"]), None)
                e["detail"] = pick(t.label or t.name, t.label_zh) if t else e["detail"]
            e["changes"] = {str(self.label_for(k)): self._change_text(k, v)
                            for k, v in list(e["changes"].items())[:20]}
        ctx["activity"] = entries[:100]
        ctx["record_sections"] = self._sections(record)
        ctx["record_lead_sections"] = self._lead_sections(record)
        return ctx

    def _lead_sections(self, record) -> list:
        """Cards shown above the record's fields, before everything else: the next step a clerk takes
        (a screen's ``view_mixin`` overrides this; core adds none)."""
        return []

    def _sections(self, record) -> list:
        """What the front-door features add to every record page (assignee, attachments...)."""
        from core.web.admin import assignment, attachments, documents, intake, notifications

        out = []
        for feature in (documents, assignment, attachments, intake, notifications):
            section = feature.record_section(self, record)
            if section:
                out.append(section)
        return out

    def _state_label(self, name: str) -> str:
        wf = self.workflow
        state = next((s for s in wf.states if s.name == name), None)
        return pick(state.label or state.name, state.label_zh) if state else name

    def _path(self, wf, entries: list[dict], current) -> list[tuple]:
        """``(state, label, date)`` of the states the record passed through, oldest first, ending at ``current``."""
        steps: list[tuple] = []
        for e in reversed(entries):  # oldest first
            state = None
            if e["action"] == "create":
                state = wf.initial.name if any(s.initial for s in wf.states) else None
                change = (e.get("changes") or {}).get(wf.state_field)
                if isinstance(change, list | tuple) and len(change) == 2 and change[1]:
                    state = change[1]
            elif e["action"] == "transition":
                change = (e.get("changes") or {}).get(wf.state_field)
                if isinstance(change, list | tuple) and len(change) == 2 and change[1]:
                    state = change[1]
                else:
                    t = next((t for t in wf.transitions if t.name == e["detail"]), None)
                    state = t.target if t else None
            if state and (not steps or steps[-1][0] != state):
                at = e["at"].astimezone(self._tz()).strftime("%m-%d") if e["at"] else ""
                steps.append((state, self._state_label(state), at))
        if not steps or steps[-1][0] != current:
            steps.append((current, self._state_label(current), ""))
        return steps

    def _change_text(self, field: str, change):
        """A change ``[old, new]`` as the details page shows values (names, ¥, labels, local times)."""
        if not isinstance(change, list | tuple) or len(change) != 2:
            return ["", self._shown(field, change)]
        return [self._shown(field, v) for v in change]

    def _shown(self, field: str, value):
        if value is None or value == "":
            return ""
        if field in getattr(self, "sensitive", ()):
            from core.web.integration import masked

            return masked(db(), actor(), value, "phone" if "phone" in field else "id_number")
        try:
            text = self.value_text(field, value)
        except Exception:  # noqa: BLE001 - history of a field that changed type: show it raw, never a 500
            return value
        return "" if text is None else text

    def render(self, template, **kwargs):
        record = kwargs.get("model")
        if record is not None and template in (self.details_template, self.edit_template):
            kwargs.update(self.record_context(record))
        kwargs.setdefault("wuye_view", self)
        return super().render(template, **kwargs)
