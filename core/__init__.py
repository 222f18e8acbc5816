"""Wuye core: the public API for plugin authors.

Everything an integrator needs is importable from here::

    from core import hookimpl, Base, Permission, RoleDef, utcnow, to_fen

Anything not listed in ``__all__`` is internal and may change between versions.
"""

from core.db import Base, fen_to_yuan, round_fen, to_fen, utcnow
from core.errors import Conflict, NotFound, PermissionDenied, ValidationError, WorkflowError, WuyeError
from core.hookspecs import hookimpl
from core.security import Permission, RoleDef

__all__ = [
    "Base",
    "Conflict",
    "NotFound",
    "Permission",
    "PermissionDenied",
    "RoleDef",
    "ValidationError",
    "WorkflowError",
    "WuyeError",
    "fen_to_yuan",
    "hookimpl",
    "round_fen",
    "to_fen",
    "utcnow",
]
