"""The notification events and channels of a booted instance (``wuye_notification_events`` /
``wuye_notification_channels``), collected once per instance and checked for duplicates."""

from __future__ import annotations

from core.errors import ValidationError

_CACHE = "_notification_registry"


def _collect(wuye) -> tuple[dict, dict, list[str]]:
    events, channels, problems, owner = {}, {}, [], {}
    for plugin, found in wuye.call_each("wuye_notification_events"):
        for event in found or ():
            if event.name in events:
                problems.append(f"notification event '{event.name}' is declared by both "
                                f"'{owner[event.name]}' and '{plugin}'")
                continue
            if plugin != "core" and not event.name.startswith(plugin + "."):
                problems.append(f"plugin '{plugin}': notification event '{event.name}' must start with '{plugin}.'")
                continue
            events[event.name], owner[event.name] = event, plugin
    for plugin, found in wuye.call_each("wuye_notification_channels"):
        for channel in found or ():
            if channel.name in channels:
                problems.append(f"notification channel '{channel.name}' is declared twice (again by '{plugin}')")
                continue
            channels[channel.name] = channel
    return events, channels, problems


def _registry(wuye) -> tuple[dict, dict, list[str]]:
    # Collected once per instance, again when plugins are registered later (tests register some).
    key = frozenset(name for name, _plugin in wuye.pm.list_name_plugin())
    cached = wuye.__dict__.get(_CACHE)
    if cached is None or cached[0] != key:
        cached = (key, _collect(wuye))
        wuye.__dict__[_CACHE] = cached
    return cached[1]


def check(wuye, problems: list[str]) -> None:
    """Startup check (``wuye_startup``): duplicate or misnamed events and channels."""
    problems.extend(_registry(wuye)[2])


def _wuye(session_or_wuye):
    info = getattr(session_or_wuye, "info", None)
    if isinstance(info, dict) and "wuye" in info:
        return info["wuye"]
    if hasattr(session_or_wuye, "call_each"):
        return session_or_wuye
    raise RuntimeError("session was not created by Wuye.sessions; create it with wuye.session()")


def events(session_or_wuye) -> dict:
    """``{name: NotificationEvent}`` of the instance."""
    return _registry(_wuye(session_or_wuye))[0]


def channels(session_or_wuye) -> dict:
    """``{name: Channel}`` of the instance."""
    return _registry(_wuye(session_or_wuye))[1]


def get_event(session_or_wuye, name: str):
    """The event called ``name``; ``ValidationError`` naming the known events otherwise."""
    found = events(session_or_wuye)
    if name not in found:
        raise ValidationError(f"unknown notification event {name!r}; declare it with wuye_notification_events "
                              f"(known: {', '.join(sorted(found)) or 'none'})", field="event")
    return found[name]


def get_channel(session_or_wuye, name: str):
    found = channels(session_or_wuye)
    if name not in found:
        raise ValidationError(f"unknown notification channel {name!r}; known: {', '.join(sorted(found))}",
                              field="channels")
    return found[name]
