"""The web layer: Flask app factory, staff admin and the JSON API (built from plugin specs).

``core.web.specs`` and ``core.web.dashboard`` import no Flask, so plugins can use them freely;
``create_app`` is imported lazily so that importing the specs does not pull in the web stack.
"""

from __future__ import annotations


def __getattr__(name: str):
    if name == "create_app":
        from core.web.app import create_app

        return create_app
    raise AttributeError(name)


__all__ = ["create_app"]
