"""Builds throw-away plugin packages on disk for host tests."""

from __future__ import annotations

import itertools
import sys
import textwrap
from pathlib import Path

_counter = itertools.count()


class PluginTree:
    """A directory of plugin packages importable as ``<prefix>.<name>``."""

    def __init__(self, root: Path):
        self.prefix = f"tp{next(_counter)}_{id(self) % 10_000}"
        self.root = root / self.prefix
        self.root.mkdir(parents=True)
        (self.root / "__init__.py").write_text("")
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))

    def add(self, name: str, *, depends=(), uses=(), extra: str = "", hooks: str = "", manifest: str | None = None,
            dirname: str | None = None) -> Path:
        d = self.root / (dirname or name)
        d.mkdir()
        (d / "__init__.py").write_text(f'"""test plugin {name}"""\n')
        if manifest is None:
            manifest = (f'[plugin]\nname = "{name}"\nversion = "1.0"\ntitle = "{name.title()}"\n'
                        f"depends = {list(depends)!r}\nuses = {list(uses)!r}\n{extra}")
            manifest = manifest.replace("'", '"')
        (d / "plugin.toml").write_text(manifest)
        (d / "hooks.py").write_text("from core import hookimpl\n\n" + textwrap.dedent(hooks))
        return d

    @property
    def search(self) -> list[tuple[Path, str]]:
        return [(self.root, self.prefix)]
