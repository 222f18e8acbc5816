"""Work around Flask-Admin 2.2's sqla contrib importing ``T_SESSION`` that exists only with Flask-SQLAlchemy.

We use Flask-SQLAlchemy-Lite (DESIGN 9), so ``flask_admin.contrib.sqla._types`` is loaded first
and given the plain SQLAlchemy ``Session`` as ``T_SESSION`` (only a type alias there).
"""

from __future__ import annotations

import importlib.util
import sys


def patch_flask_admin_types() -> None:
    name = "flask_admin.contrib.sqla._types"
    if name in sys.modules or "flask_admin.contrib.sqla" in sys.modules:
        return
    import flask_admin.contrib

    spec = importlib.util.find_spec("flask_admin.contrib")
    path = next(iter(spec.submodule_search_locations)) + "/sqla/_types.py"
    mod_spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(mod_spec)
    sys.modules[name] = module
    mod_spec.loader.exec_module(module)
    if not hasattr(module, "T_SESSION"):
        from sqlalchemy.orm import Session

        module.T_SESSION = Session
    del flask_admin.contrib  # keep the namespace tidy; the package itself stays imported


patch_flask_admin_types()
