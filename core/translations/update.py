"""Refresh the catalogues: ``python core/translations/update.py`` (run from the repository root).

Extracts every marked string (``_``, ``gettext``, ``lazy_gettext``, ``_l``) from ``core/web``,
``core/cli/serve.py`` and ``core/templates`` into ``messages.pot``, merges it into ``zh_CN`` and
``en`` and compiles the ``.mo`` files (committed, so installs need no build step).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def run(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def main() -> None:
    pot = str(HERE / "messages.pot")
    run("extract", "-F", str(HERE / "babel.cfg"), "-k", "lazy_gettext", "-k", "_l", "--no-location",
        "--sort-output", "--project=wuye", "-o", pot, ".")
    for locale in ("zh_CN", "en"):
        po = HERE / locale / "LC_MESSAGES" / "messages.po"
        if po.exists():
            run("update", "-i", pot, "-d", str(HERE), "-l", locale, "--no-fuzzy-matching")
        else:
            run("init", "-i", pot, "-d", str(HERE), "-l", locale)
    run("compile", "-d", str(HERE), "--use-fuzzy")


if __name__ == "__main__":
    main()
