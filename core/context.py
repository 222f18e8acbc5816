"""What a session carries besides its connection (``session.info``), in one place.

* ``wuye``: the booted instance the session belongs to (:func:`wuye_of`, :func:`settings_of`);
* ``wuye_system``: the session acts as the system itself (scheduled jobs, unit events, demo data),
  so services and the workflow engine accept ``actor=None`` (:func:`as_system`, :func:`is_system`);
* ``wuye_kept_writes``: writes that must outlive the caller's rollback (a failed second-person password
  counts even though the request fails: :func:`keep_on_error`, :func:`run_kept`);
* the pinned business date lives in :mod:`core.clock`, the acting staff member in :mod:`core.activity`.

Bottom layer: this module imports nothing from the core but :mod:`core.errors`.
"""

from __future__ import annotations

from contextlib import contextmanager

WUYE_KEY = "wuye"
ACTOR_KEY = "actor"  # the staff member changes flushed now are attributed to (core.activity)
SYSTEM_KEY = "wuye_system"  # actor None means the system only in a session flagged with this
KEPT_KEY = "wuye_kept_writes"


def wuye_of(session):
    """The booted instance a session belongs to (sessions made by ``Wuye.sessions`` carry it)."""
    wuye = session.info.get(WUYE_KEY)
    if wuye is None:
        raise RuntimeError("session was not created by Wuye.sessions; create it with wuye.session()")
    return wuye


def settings_of(session, plugin: str, defaults: dict | None = None) -> dict:
    """The validated ``[plugins.<plugin>]`` section of the session's instance.

    ``defaults`` (the plugin's schema loaded from ``{}``) are returned when the session belongs to
    no booted instance or the section is empty, so services also run from a bare session in tests.
    """
    wuye = session.info.get(WUYE_KEY)
    found = wuye.settings(plugin) if wuye is not None else {}
    return found or dict(defaults or {})


def is_system(session, actor=None) -> bool:
    """True when ``actor`` is None and the session acts as the system (see :func:`as_system`)."""
    return actor is None and bool(session.info.get(SYSTEM_KEY))


@contextmanager
def as_system(session):
    """Act as the system inside the block: services and transitions accept ``actor=None``.

    The job runner does this for every job; plugins do it for work nobody in particular does
    (demo data, effects of a unit event). History rows written meanwhile have no actor.
    """
    previous = session.info.get(SYSTEM_KEY)
    session.info[SYSTEM_KEY] = True
    try:
        yield session
    finally:
        if previous is None:
            session.info.pop(SYSTEM_KEY, None)
        else:
            session.info[SYSTEM_KEY] = previous


@contextmanager
def acting_as(session, actor):
    """Attribute changes flushed inside the block to ``actor`` (restores the previous actor after)."""
    missing = object()
    previous = session.info.get(ACTOR_KEY, missing)
    session.info[ACTOR_KEY] = actor
    try:
        yield session
    finally:
        if previous is missing:
            session.info.pop(ACTOR_KEY, None)
        else:
            session.info[ACTOR_KEY] = previous


def keep_on_error(session, write) -> None:
    """Run ``write(session)`` once the caller's transaction has ended, committed or rolled back, in a
    transaction of its own: for facts that must stand although the request fails and everything else
    it wrote is undone (a failed password check is counted, then refused). The web request runs them
    at its end (:func:`core.web.context.finish`); other callers run them with :func:`run_kept`."""
    session.info.setdefault(KEPT_KEY, []).append(write)


def run_kept(session) -> int:
    """Run and forget the writes :func:`keep_on_error` put aside (the caller commits); how many ran."""
    writes = session.info.pop(KEPT_KEY, [])
    for write in writes:
        write(session)
    return len(writes)
