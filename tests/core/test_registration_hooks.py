"""Registration hooks contributed by a test plugin, merged by the host with duplicates refused."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from core.errors import PluginError
from core.testing import boot
from tests.core.plugin_factory import PluginTree

HOOKS = """
from core import Permission, RoleDef
from core.jobs import Job

calls = []

@hookimpl
def wuye_register_models():
    from {pkg}.models import Thing
    return [Thing]

@hookimpl
def wuye_register_roles():
    return [RoleDef("thing_keeper", "Thing keeper", "物品管理员", supervisor="cs_supervisor")]

@hookimpl
def wuye_register_permissions():
    return [Permission("things.count", "Count things", "清点", default_roles=("thing_keeper", "cs_supervisor"))]

@hookimpl
def wuye_scheduled_jobs():
    return [Job("things.count_daily", "daily", lambda session, now: {{"counted": 0}})]

@hookimpl
def wuye_cli_commands(cli):
    import click

    @cli.command("things")
    def things():
        click.echo("there are things")

@hookimpl
def wuye_seed_data(session):
    calls.append("seed")

@hookimpl
def wuye_demo_data(session, estate):
    calls.append(("demo", estate.code))
"""

MODELS = """
from sqlalchemy.orm import Mapped, mapped_column
from core import Base

class Thing(Base):
    __tablename__ = "{table}"
    id: Mapped[int] = mapped_column(primary_key=True)
"""


@pytest.fixture
def things(tmp_path):
    tree = PluginTree(tmp_path)
    d = tree.add("things", hooks=HOOKS.format(pkg=f"{tree.prefix}.things"))
    (d / "models.py").write_text(MODELS.format(table=f"things_items_{tree.prefix}"))
    return tree


def test_contributions_are_merged_into_the_registry(things):
    wuye = boot(["things"], search=things.search)
    table = next(t for t in wuye.registry.models if t.startswith("things_items_"))
    assert wuye.registry.table_owner[table] == "things"
    assert wuye.registry.roles["thing_keeper"].label_zh == "物品管理员"
    assert wuye.registry.permission_owner["things.count"] == "things"
    assert wuye.registry.job_owner["things.count_daily"] == "things"
    # core's own contributions are there as well
    assert wuye.registry.table_owner["core_units"] == "core"
    assert "general_manager" in wuye.registry.roles


def test_plugin_cli_commands_join_the_wuye_group(things):
    from core.cli import State, build_cli

    wuye = boot(["things"], search=things.search)
    state = State(None)
    state._wuye = wuye
    cli = build_cli(state)
    result = CliRunner().invoke(cli, ["things"], obj=state)
    assert result.exit_code == 0 and result.output == "there are things\n"


def test_seed_data_and_demo_data_are_called(things, session, make_estate):
    import importlib

    from core.models import Role, RolePermission
    from core.seed import seed_all

    wuye = boot(["things"], search=things.search)
    session.info["wuye"] = wuye
    hooks = importlib.import_module(f"{things.prefix}.things.hooks")
    seed_all(session, wuye)
    seed_all(session, wuye)
    assert hooks.calls.count("seed") == 2
    keeper = session.scalars(select(Role).where(Role.name == "thing_keeper")).one()
    grants = session.scalars(select(RolePermission.permission).where(RolePermission.role_id == keeper.id)).all()
    assert grants == ["things.count"]
    estate = make_estate(code="DM")
    wuye.hook.wuye_demo_data(session=session, estate=estate)
    assert ("demo", "DM") in hooks.calls


def test_revoked_default_grant_stays_revoked_after_reseeding(things, session):
    from core.models import Role, RolePermission
    from core.seed import seed_all

    wuye = boot(["things"], search=things.search)
    seed_all(session, wuye)
    supervisor = session.scalars(select(Role).where(Role.name == "cs_supervisor")).one()
    grant = session.get(RolePermission, (supervisor.id, "things.count"))
    assert grant is not None
    session.delete(grant)  # the company revokes it, as data
    session.flush()
    seed_all(session, wuye)  # an upgrade reseeds
    assert session.get(RolePermission, (supervisor.id, "things.count")) is None


def test_table_outside_the_prefix_and_duplicate_role_are_refused(tmp_path):
    tree = PluginTree(tmp_path)
    d = tree.add("rogue", hooks="""
        from core import RoleDef

        @hookimpl
        def wuye_register_models():
            from {pkg}.models import Thing
            return [Thing]

        @hookimpl
        def wuye_register_roles():
            return [RoleDef("cashier", "Cashier again", "收费员")]
    """.replace("{pkg}", f"{tree.prefix}.rogue"))
    (d / "models.py").write_text(MODELS.format(table=f"core_sneaky_{tree.prefix}"))
    with pytest.raises(PluginError) as exc:
        boot(["rogue"], search=tree.search)
    text = "\n".join(exc.value.problems)
    assert f"table 'core_sneaky_{tree.prefix}' must start with 'rogue_'" in text
    assert "role 'cashier' is registered twice (again by 'rogue')" in text


def test_startup_stage_of_a_plugin_sees_merged_workflows_and_can_refuse_to_start(tmp_path):
    # wuye_startup: core's stage runs first (workflows merged), then the plugin's own check, whose
    # problem joins the one report startup fails with.
    tree = PluginTree(tmp_path)
    tree.add("picky", hooks="""
        seen = []

        @hookimpl
        def wuye_startup(wuye, problems):
            seen.append(sorted(wuye.registry.workflows))
            problems.append("plugin 'picky': the office phone is not configured; set [plugins.picky] phone")
    """)
    with pytest.raises(PluginError) as exc:
        boot(["picky"], search=tree.search)
    assert exc.value.problems == ["plugin 'picky': the office phone is not configured; set [plugins.picky] phone"]
    import importlib

    hooks = importlib.import_module(f"{tree.prefix}.picky.hooks")
    assert hooks.seen == [[]]  # ran once, after core's stage (no workflows enabled here)
