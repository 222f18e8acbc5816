"""The plugin scaffolder behind ``wuye plugins new NAME``.

It writes a skeleton in the plugin anatomy (docs/plugin-anatomy.md) that works as written: it
passes ``wuye plugins check``, ``wuye db upgrade`` and ``wuye db check`` once enabled, and its own
test passes. The files come from the templates in ``templates/`` (``string.Template``: ``$name``
is the plugin name, ``$package`` its import name, ``$model`` its model class, ...).

Three layouts, chosen by where the plugin goes:

* ``--package``: a standalone distribution ``wuye-<name>/`` (pyproject.toml with the
  ``wuye.plugins`` entry point, package ``wuye_<name>``, ``tests/`` with a conftest);
* in-tree: the target directory is a package (``./plugins``), so the plugin is
  ``plugins.<name>`` and its test goes to ``tests/plugins/<name>/test_plugin.py``;
* otherwise a top-level package ``<name>/`` with ``tests/`` beside it, to put into a
  distribution of your own (it is found only through an entry point).

Nothing is written unless the name is valid and every file can be created.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import keyword
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from core.clock import utcnow
from core.errors import ValidationError

TEMPLATES = Path(__file__).parent / "templates"

# Files of the plugin package: template -> path inside the package.
PACKAGE_FILES = {
    "plugin.toml.tmpl": "plugin.toml",
    "__init__.py.tmpl": "__init__.py",
    "hooks.py.tmpl": "hooks.py",
    "models.py.tmpl": "models.py",
    "schemas.py.tmpl": "schemas.py",
    "records.py.tmpl": "records.py",
    "workflows.py.tmpl": "workflows.py",
    "permissions.py.tmpl": "permissions.py",
    "settings.py.tmpl": "settings.py",
    "jobs.py.tmpl": "jobs.py",
    "admin.py.tmpl": "admin.py",
    "api.py.tmpl": "api.py",
    "services.py.tmpl": "services.py",
    "demo.py.tmpl": "demo.py",
    "migration.py.tmpl": "migrations/{name}_0001_{name}_records.py",
}


@dataclass
class Layout:
    """Where each part of a new plugin goes."""

    name: str
    package: str  # import name: plugins.<name>, wuye_<name> or <name>
    package_dir: Path
    tests_dir: Path
    test_file: str
    root: Path  # the directory created for the plugin (package or distribution)
    standalone: bool  # found through an entry point, not a plugins directory
    distribution: str | None = None  # wuye-<name> with --package
    extra: dict[Path, str] = field(default_factory=dict)  # further files: path -> template


def camel(name: str) -> str:
    """``gate_passes`` -> ``GatePasses``."""
    return "".join(part.capitalize() for part in name.split("_") if part)


def default_directory(cwd: Path | None = None) -> Path:
    """``./plugins`` when it exists, else the current directory."""
    cwd = cwd or Path.cwd()
    return cwd / "plugins" if (cwd / "plugins").is_dir() else cwd


def layout(name: str, directory: Path, *, package: bool) -> Layout:
    """Where the files of plugin ``name`` go when written into ``directory``."""
    directory = Path(directory).resolve()
    if package:
        dist = f"wuye-{name.replace('_', '-')}"
        root = directory / dist
        out = Layout(name, f"wuye_{name}", root / f"wuye_{name}", root / "tests", f"test_{name}.py", root,
                     standalone=True, distribution=dist)
        out.extra = {root / "pyproject.toml": "pyproject.toml.tmpl", root / "tests" / "conftest.py": "conftest.py.tmpl"}
        return out
    if (directory / "__init__.py").is_file():
        # In-tree: the directory is a package of plugins (./plugins), its tests mirror it under ../tests.
        tests_dir = directory.parent / "tests" / directory.name / name
        out = Layout(name, f"{directory.name}.{name}", directory / name, tests_dir, "test_plugin.py",
                     directory / name, standalone=False)
        if (directory.parent / "tests" / directory.name / "__init__.py").is_file():
            out.extra = {tests_dir / "__init__.py": "tests_init.py.tmpl"}  # the tests are packages there
        return out
    root = directory / name
    out = Layout(name, name, root, directory / "tests", f"test_{name}.py", root, standalone=True)
    out.extra = {directory / "tests" / "conftest.py": "conftest.py.tmpl"}
    return out


def installed_plugins(directory: Path) -> dict[str, str]:
    """Plugin name -> where it is, over the installed plugins and those beside ``directory``."""
    from core.host import discover

    found = {n: str(m.manifest_file) for n, m in discover(problems=[]).items()}
    if Path(directory).is_dir():
        for sub in sorted(Path(directory).iterdir()):
            if (sub / "plugin.toml").is_file():
                found.setdefault(sub.name, str(sub / "plugin.toml"))
    return found


def check_name(name: str, directory: Path, *, package: bool = False) -> None:
    """Refuse a name that is malformed, taken, or that would share a table prefix with another plugin."""
    from core.host import NAME_RE, RESERVED_NAMES

    if not NAME_RE.match(name) or name.endswith("_") or "__" in name:
        raise ValidationError(f"'{name}' is not a plugin name: use lowercase letters, digits and single '_', "
                              "starting with a letter (e.g. gate_passes)", field="name")
    if name in RESERVED_NAMES or keyword.iskeyword(name):
        raise ValidationError(f"'{name}' is reserved; choose another name", field="name")
    others = installed_plugins(directory)
    if name in others:
        raise ValidationError(f"a plugin named '{name}' already exists ({others[name]}); choose another name",
                              field="name")
    for other, where in sorted(others.items()):
        if name.startswith(other + "_") or other.startswith(name + "_"):
            long = name if name.startswith(other + "_") else other
            hint = f" (e.g. '{other}{name[len(other) + 1:]}')" if long == name else ""
            raise ValidationError(
                f"'{name}' clashes with the plugin '{other}' ({where}): a plugin owns the tables starting with its "
                f"name and '_', so tables named '{long}_*' would belong to both; choose a name that neither starts "
                f"with '{other}_' nor, followed by '_', starts '{other}'{hint}", field="name")
    if not package and not (Path(directory) / "__init__.py").is_file() and importlib.util.find_spec(name):
        raise ValidationError(f"a Python module named '{name}' is already importable; choose another name or use "
                              "--package (the package is then wuye_" + name + ")", field="name")


def render(lay: Layout, *, title: str, title_zh: str, now: dt.datetime | None = None) -> dict[Path, str]:
    """Every file of the new plugin: path -> text."""
    name = lay.name
    values = {
        "name": name, "package": lay.package, "model": f"{camel(name)}Record", "table": f"{name}_records",
        "path": f"{name.replace('_', '-')}/records", "title": title, "title_zh": title_zh,
        "distribution": lay.distribution or f"wuye-{name.replace('_', '-')}",
        "date": f"{now or utcnow():%Y-%m-%d %H:%M:%S}",
        "boot_args": ", use_entry_points=True" if lay.standalone else "",
    }
    files = {lay.package_dir / target.format(name=name): template for template, target in PACKAGE_FILES.items()}
    files[lay.tests_dir / lay.test_file] = "test_plugin.py.tmpl"
    files.update(lay.extra)
    return {path: Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values)
            for path, template in files.items()}


def new_plugin(name: str, directory: Path | None = None, *, package: bool = False, title: str | None = None,
               title_zh: str | None = None) -> tuple[Layout, list[Path]]:
    """Write the skeleton of plugin ``name``; returns its layout and the files written."""
    if directory is None:  # a distribution is a project of its own: beside the checkout, not inside ./plugins
        directory = Path.cwd() if package else default_directory()
    check_name(name, directory, package=package)
    lay = layout(name, directory, package=package)
    title = title or name.replace("_", " ").capitalize()
    files = render(lay, title=title, title_zh=title_zh or title)
    if lay.root.exists():
        raise ValidationError(f"{lay.root} already exists; remove it or choose another name or --path",
                              field="name")
    existing = [p for p in files if p.exists()]
    if existing:
        raise ValidationError(f"{existing[0]} already exists; nothing was written", field="name")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return lay, sorted(files)
