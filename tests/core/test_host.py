"""Plugin discovery and resolution: every problem reported at once, deterministic order."""

from __future__ import annotations

import pytest

from core.errors import PluginError
from core.testing import boot
from tests.core.plugin_factory import PluginTree


@pytest.fixture
def tree(tmp_path):
    return PluginTree(tmp_path)


def boot_tree(tree, enabled):
    return boot(enabled, search=tree.search)


def problems_of(tree, enabled) -> list[str]:
    with pytest.raises(PluginError) as exc:
        boot_tree(tree, enabled)
    return exc.value.problems


def test_order_is_topological_with_ties_broken_by_name(tree):
    tree.add("zeta")
    tree.add("alpha", depends=["zeta"])
    tree.add("beta")
    tree.add("gamma", depends=["beta"], uses=["alpha"])
    tree.add("delta", uses=["not_installed_is_fine"])
    for enabled in (["gamma", "alpha", "zeta", "beta", "delta"], ["delta", "beta", "zeta", "alpha", "gamma"]):
        assert boot_tree(tree, enabled).order == ["beta", "delta", "zeta", "alpha", "gamma"]


def test_missing_dependency_prints_the_chain(tree):
    tree.add("renovation", depends=["billing"])
    tree.add("billing", depends=["ledger"])
    tree.add("ledger")
    problems = problems_of(tree, ["renovation"])
    assert len(problems) == 1
    msg = problems[0]
    assert "'renovation' needs 'billing', which is not enabled" in msg
    assert "renovation -> billing -> ledger" in msg
    assert "'billing', 'ledger'" in msg  # the fix: what to add


def test_dependency_not_installed_and_unknown_enabled_plugin(tree):
    tree.add("keys", depends=["ghost"])
    problems = problems_of(tree, ["keys", "nosuch"])
    assert any("'keys' needs 'ghost', which is not installed" in p for p in problems)
    assert any("plugin 'nosuch' is enabled in the config but not installed" in p for p in problems)


def test_cycle_is_reported_with_its_path(tree):
    tree.add("a", depends=["b"])
    tree.add("b", depends=["c"])
    tree.add("c", depends=["a"])
    problems = problems_of(tree, ["a", "b", "c"])
    assert problems == ["dependency cycle: a -> b -> c -> a; break it by removing one dependency "
                        "(or turning it into 'uses')"]


def test_duplicate_name_names_both_sources(tree):
    tree.add("keys", dirname="keys_one")
    tree.add("keys", dirname="keys_two")
    problems = problems_of(tree, ["keys"])
    assert len(problems) == 1
    assert "keys_one/plugin.toml" in problems[0] and "keys_two/plugin.toml" in problems[0]
    assert "defined twice" in problems[0]


def test_unknown_manifest_key_and_all_problems_together(tree):
    tree.add("typo", extra='dependz = ["x"]\n')
    tree.add("broken", manifest="[plugin\nname=")
    tree.add("noname", manifest='[plugin]\nversion = "1"\ntitle = "T"\n')
    tree.add("Bad-Name", manifest='[plugin]\nname = "Bad-Name"\nversion = "1"\ntitle = "T"\n', dirname="badname")
    tree.add("needs", depends=["absent"])
    problems = problems_of(tree, ["needs"])
    text = "\n".join(problems)
    assert "unknown key 'dependz' in [plugin]" in text
    assert "typo/plugin.toml" in text
    assert "broken/plugin.toml: not valid TOML" in text
    assert "required key 'name' is missing" in text
    assert "name 'Bad-Name' is not allowed" in text
    assert "'needs' needs 'absent', which is not installed" in text
    assert len(problems) == 5


def test_misspelt_hook_fails_loudly(tree):
    tree.add("oops", hooks="""
        @hookimpl
        def wuye_register_model():
            return []
    """)
    problems = problems_of(tree, ["oops"])
    assert any("wuye_register_model" in p and "docs/hooks.md" in p for p in problems)


def test_import_error_in_plugin_code_is_reported_not_raised(tree):
    tree.add("crashy", hooks="import does_not_exist_anywhere\n")
    problems = problems_of(tree, ["crashy"])
    assert problems and "crashy" in problems[0] and "does_not_exist_anywhere" in problems[0]


def test_registry_rejects_duplicates_and_foreign_prefixes(tree):
    perm = """
        from core import Permission

        @hookimpl
        def wuye_register_permissions():
            return [Permission("{name}", "x")]
    """
    tree.add("one", hooks=perm.replace("{name}", "one.do"))
    tree.add("two", hooks=perm.replace("{name}", "one.do"))
    problems = problems_of(tree, ["one", "two"])
    assert problems == ["plugin 'two': permission 'one.do' must start with 'two.'"]


def test_plugin_config_sections_are_validated_by_the_plugins_schema(tree):
    tree.add("cfg", hooks="""
        from marshmallow import Schema, fields

        class CfgSchema(Schema):
            limit = fields.Integer(load_default=15)

        @hookimpl
        def wuye_config_schema():
            return CfgSchema()
    """)
    tree.add("plain")
    wuye = boot(["cfg", "plain"], search=tree.search, plugin_settings={"cfg": {}})
    assert wuye.settings("cfg") == {"limit": 15}
    with pytest.raises(PluginError) as exc:
        boot(["cfg", "plain"], search=tree.search,
             plugin_settings={"cfg": {"limt": 3}, "plain": {"x": 1}, "ghost": {}})
    text = "\n".join(exc.value.problems)
    assert "[plugins.cfg] 'limt': unknown key" in text
    assert "[plugins.plain] has unknown key(s) x" in text
    assert "[plugins.ghost] is for a plugin that is not installed" in text


def test_published_hookspecs_let_dependents_implement_them(tree):
    tree.add("base", hooks="""
        import pluggy

        class Specs:
            @pluggy.HookspecMarker("wuye")
            def wuye_base_things(self):
                "things for base"

        @hookimpl
        def wuye_add_hookspecs(pm):
            pm.add_hookspecs(Specs)
    """)
    tree.add("user", depends=["base"], hooks="""
        @hookimpl
        def wuye_base_things():
            return ["thing"]
    """)
    wuye = boot_tree(tree, ["base", "user"])
    assert wuye.hook.wuye_base_things() == [["thing"]]
    # Without "base", the hook "user" implements is unknown: check_pending refuses it.
    problems = problems_of(tree, ["user"])
    assert any("needs 'base'" in p for p in problems)
