"""Intake handlers: which plugin takes over a category of reception record (hook ``wuye_intake_handlers``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.context import wuye_of
from core.errors import PluginError

# The in-tree plugins the manual assigns each category to: named in the message when none is enabled.
EXPECTED_PLUGINS = {"repair": "repairs", "complaint": "complaints", "help": "help_requests"}
# Categories the front desk answers itself (咨询, 建议, 表扬): routing them is never needed.
ANSWERED_HERE = ("inquiry", "suggestion", "praise", "other")


@dataclass(frozen=True)
class IntakeHandler:
    """A plugin's offer to take over reception records of one ``category`` (``repair``, ``complaint``...).

    ``create(session, intake, actor)`` makes the plugin's record from the reception record (a repair
    order from a 报修 call) and returns it, flushed or not; core links it back and marks the reception
    record routed. ``permission`` (if any) is what staff need, besides ``core.intake.route``, to route
    to it (usually the plugin's own "create" permission). ``label`` / ``label_zh`` name the target on
    the button: "Route to repairs" / "转派到报修".
    """

    category: str
    label: str
    label_zh: str
    create: Callable
    permission: str | None = None
    plugin: str = ""  # filled in by core: the plugin that contributed it


def intake_handlers(session) -> dict[str, IntakeHandler]:
    """The enabled handlers by category, from every plugin's ``wuye_intake_handlers``.

    Two plugins claiming one category is a configuration error (which one would a clerk's call
    go to?): it is raised, naming both, when the handlers are read.
    """
    out: dict[str, IntakeHandler] = {}
    for plugin, handlers in wuye_of(session).call_each("wuye_intake_handlers"):
        for handler in handlers:
            if not isinstance(handler, IntakeHandler):
                raise PluginError([f"plugin '{plugin}': wuye_intake_handlers must return core.IntakeHandler "
                                   f"objects, not {type(handler).__name__}"])
            if handler.category in out:
                raise PluginError([f"intake category '{handler.category}' is handled by both plugin "
                                   f"'{out[handler.category].plugin}' and plugin '{plugin}'; disable one of them"])
            out[handler.category] = IntakeHandler(handler.category, handler.label, handler.label_zh,
                                                  handler.create, handler.permission, plugin)
    return out


def handler_for(session, category: str) -> IntakeHandler | None:
    """The handler enabled for ``category``, or None."""
    return intake_handlers(session).get(str(category))


def check_handlers(wuye, problems: list[str]) -> None:
    """Startup check: every plugin's intake handlers are ``IntakeHandler`` objects, one per category.

    Appends one message per problem (naming the plugins) instead of failing on the first routing.
    """
    seen: dict[str, str] = {}
    for plugin, handlers in wuye.call_each("wuye_intake_handlers"):
        for handler in handlers:
            if not isinstance(handler, IntakeHandler):
                problems.append(f"plugin '{plugin}': wuye_intake_handlers must return core.IntakeHandler objects, "
                                f"not {type(handler).__name__}")
            elif handler.category in seen:
                problems.append(f"intake category '{handler.category}' is handled by both plugin "
                                f"'{seen[handler.category]}' and plugin '{plugin}'; disable one of them")
            else:
                seen[handler.category] = plugin
