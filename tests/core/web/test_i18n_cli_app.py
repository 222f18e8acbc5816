"""Catalogues, plugin labels in both languages, the app factory's refusals and `wuye tokens create`."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from core.errors import ConfigError, DatabaseError
from core.web.specs import AdminViewSpec

TRANSLATIONS = Path(__file__).resolve().parents[3] / "core" / "translations"


def test_every_core_message_has_a_chinese_translation_and_compiled_catalogues():
    template = read_po((TRANSLATIONS / "messages.pot").open("rb"))
    zh = read_po((TRANSLATIONS / "zh_CN" / "LC_MESSAGES" / "messages.po").open("rb"))
    missing = [m.id for m in template if m.id and not (zh.get(m.id) and zh.get(m.id).string)]
    assert missing == []
    for locale in ("zh_CN", "en"):
        assert (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo").stat().st_size > 0


def test_plugin_screens_menus_states_and_permissions_have_both_languages(wuye):
    from core.web.admin import collect_views

    for plugin, spec in collect_views(wuye):
        assert isinstance(spec, AdminViewSpec)
        assert spec.label and spec.label_zh, f"{plugin}: screen {spec.name} needs label and label_zh"
        if plugin != "core":
            assert wuye.manifests[plugin].title_zh, f"{plugin}: plugin.toml needs title_zh for its menu"
    for wf in wuye.registry.workflows.values():
        for state in wf.states:
            assert state.label_zh, f"workflow {wf.name}: state {state.name} needs label_zh"
    for perm in wuye.registry.permissions.values():
        assert perm.label_zh, f"permission {perm.name} needs label_zh"


def test_default_language_comes_from_the_config(app, world, client_as):
    c = client_as("cs_a")  # the user has no locale of their own; the test config says zh_CN
    assert app.extensions["wuye"].config.locale == "zh_CN"
    assert "退出登录" in c.get("/admin/").text


def test_app_refuses_to_start_behind_migrations_or_without_secret(tmp_path):
    from core import migrate
    from core.testing import boot
    from core.web import create_app

    wuye = boot([], database_url=f"sqlite:///{tmp_path / 'w.sqlite3'}")
    with pytest.raises(DatabaseError, match="wuye db upgrade"):
        create_app(wuye)
    migrate.upgrade_all(wuye)
    with pytest.raises(ConfigError, match="WUYE_SECRET_KEY"):
        create_app(wuye)
    wuye.config.secret_key = "x" * 40
    app = create_app(wuye)
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["SESSION_COOKIE_HTTPONLY"] is True
    wuye.engine.dispose()


def test_tokens_create_prints_the_token_last_and_it_authenticates(tmp_path, monkeypatch):
    from core import migrate
    from core.cli import build_cli
    from core.db import Base
    from core.seed import seed_all
    from core.services.staff import create_staff
    from core.testing import boot
    from core.web import tokens

    db = tmp_path / "t.sqlite3"
    (tmp_path / "wuye.toml").write_text(f'[core]\ndatabase_url = "sqlite:///{db}"\n', encoding="utf-8")
    wuye = boot([], database_url=f"sqlite:///{db}")
    migrate.upgrade_all(wuye)
    Base.metadata.create_all(wuye.engine)  # the web tables until core's migration for them lands
    with wuye.session() as s:
        seed_all(s, wuye)
        create_staff(s, "tok_user", "password123", roles=["general_manager"])
    monkeypatch.setenv("WUYE_CONFIG", str(tmp_path / "wuye.toml"))
    result = CliRunner().invoke(build_cli(), ["tokens", "create", "tok_user", "--name", "script"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("wuye_") and len(token) > 40
    with wuye.session() as s:
        assert tokens.authenticate(s, token).username == "tok_user"
        assert tokens.authenticate(s, token + "x") is None
    missing = CliRunner().invoke(build_cli(), ["tokens", "create", "nobody"])
    assert missing.exit_code != 0
    wuye.engine.dispose()
