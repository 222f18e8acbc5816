"""One plugin's name must not be the table prefix of another's: ``keys`` owns ``keys_*``, so a plugin
named ``keys_extra`` (tables ``keys_extra_*``) would share tables with it."""

from __future__ import annotations

import pytest

from core.errors import PluginError
from core.host import discover
from core.testing import boot
from tests.core.plugin_factory import PluginTree

MODEL = '''
    from sqlalchemy.orm import Mapped, mapped_column

    from core.db import Base


    class Thing(Base):
        __tablename__ = "{table}"
        id: Mapped[int] = mapped_column(primary_key=True)


    @hookimpl
    def wuye_register_models():
        return [Thing]
'''


@pytest.fixture
def tree(tmp_path):
    return PluginTree(tmp_path)


def problems_of(tree, enabled) -> list[str]:
    with pytest.raises(PluginError) as exc:
        boot(enabled, search=tree.search)
    return exc.value.problems


def test_a_name_that_is_anothers_table_prefix_is_refused_naming_both_and_the_fix(tree):
    short = tree.add("keys")
    long = tree.add("keys_extra")
    problems = problems_of(tree, ["keys"])  # installed is enough: the database may hold either's tables
    assert len(problems) == 1
    msg = problems[0]
    assert "'keys'" in msg and "'keys_extra'" in msg
    assert str(short / "plugin.toml") in msg and str(long / "plugin.toml") in msg
    assert "tables named 'keys_extra_*' would belong to both" in msg
    assert "rename 'keys_extra' so that it does not start with 'keys_' (e.g. 'keysextra')" in msg


def test_the_clash_is_collected_with_the_other_problems(tree):
    tree.add("keys")
    tree.add("keys_extra")
    tree.add("keys_extra_more")
    tree.add("typo", extra='dependz = ["x"]\n')
    problems = []
    found = discover(tree.search, use_entry_points=False, problems=problems)
    assert set(found) == {"keys", "keys_extra", "keys_extra_more"}
    clashes = [p for p in problems if p.startswith("plugin names")]
    assert [p.split(" (")[0] for p in clashes] == [
        "plugin names 'keys'", "plugin names 'keys'", "plugin names 'keys_extra'"]
    assert sum("'keys_extra_more'" in p for p in clashes) == 2
    assert any("unknown key 'dependz'" in p for p in problems) and len(problems) == 4


def test_names_sharing_letters_but_not_the_prefix_are_fine(tree):
    # (models join core's shared metadata: table names carry the tree's unique prefix)
    tree.add("lockers", hooks=MODEL.format(table=f"lockers_items_{tree.prefix}"))
    tree.add("lockersafe", hooks=MODEL.format(table=f"lockersafe_boxes_{tree.prefix}"))
    tree.add("locker")
    wuye = boot(["lockers", "lockersafe", "locker"], search=tree.search)
    assert wuye.registry.tables_of("lockers") == [f"lockers_items_{tree.prefix}"]
    assert wuye.registry.tables_of("lockersafe") == [f"lockersafe_boxes_{tree.prefix}"]


def test_the_in_tree_plugins_have_no_clash():
    problems = []
    found = discover(use_entry_points=False, problems=problems)
    assert {"billing", "renovation", "keys", "convenience"} <= set(found)
    assert not [p for p in problems if p.startswith("plugin names")]
