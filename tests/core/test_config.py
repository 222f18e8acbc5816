"""Configuration loading: defaults, search order, and every bad input named with its fix."""

from __future__ import annotations

import pytest

from core.config import load_config
from core.errors import ConfigError


def write(tmp_path, text, name="wuye.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WUYE_CONFIG", raising=False)
    cfg = load_config()
    assert cfg.database_url == "sqlite:///instance/wuye.sqlite3"
    assert cfg.enabled == [] and cfg.locale == "zh_CN" and cfg.timezone == "Asia/Shanghai"
    assert cfg.secure_cookies is True and cfg.trusted_proxies == 0


def test_plain_http_and_proxy_settings(tmp_path):
    cfg = load_config(write(tmp_path, "[core]\nsecure_cookies = false\ntrusted_proxies = 1\n"))
    assert cfg.secure_cookies is False and cfg.trusted_proxies == 1


def test_search_order_explicit_then_env_then_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, '[core]\nlocale = "en"\n')
    other = write(tmp_path, '[plugins]\nenabled = ["keys"]\n', "other.toml")
    monkeypatch.delenv("WUYE_CONFIG", raising=False)
    assert load_config().locale == "en"
    monkeypatch.setenv("WUYE_CONFIG", str(other))
    assert load_config().enabled == ["keys"]
    assert load_config(tmp_path / "wuye.toml").locale == "en"


def test_relative_sqlite_path_is_relative_to_the_config_file(tmp_path):
    path = write(tmp_path, '[core]\ndatabase_url = "sqlite:///db/w.sqlite3"\n')
    assert load_config(path).database_url == f"sqlite:///{tmp_path.resolve()}/db/w.sqlite3"


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    path = write(tmp_path, '[core]\nsecret_key = "from-file"\n')
    monkeypatch.setenv("WUYE_SECRET_KEY", "from-env")
    assert load_config(path).secret_key == "from-env"


@pytest.mark.parametrize("text, expected", [
    ('[core]\ndatabse_url = "x"\n', "unknown key 'core.databse_url'"),
    ('[cor]\n', "unknown key 'cor'"),
    ('[core]\nlocale = "fr"\n', "'core.locale': Must be one of"),
    ('[plugins]\nenabled = "keys"\n', "'plugins.enabled': Not a valid list"),
    ('[plugins]\nenabled = ["keys", "keys"]\n', "lists keys more than once"),
    ('[plugins]\nkeys = 3\n', "'plugins.keys' must be a table"),
    ('[workflows.keys_loan]\ndisabled = ["x"]\n', "unknown key 'workflows.keys_loan.value.disabled'"),
    ('[core\n', "not valid TOML"),
    ('[core]\nsecure_cookies = "false"\n', "'core.secure_cookies': must be true or false"),
    ('[core]\nsecure_cookies = 0\n', "'core.secure_cookies': must be true or false"),
    ('[core]\ntrusted_proxies = -1\n', "'core.trusted_proxies': must be a whole number from 0 to 5"),
    ('[core]\ntrusted_proxies = "1"\n', "'core.trusted_proxies': must be a whole number"),
    ('[core]\ntrusted_proxies = true\n', "'core.trusted_proxies': must be a whole number"),
])
def test_bad_config_names_file_and_key(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    assert str(path) in exc.value.message
    assert expected in exc.value.message


def test_missing_explicit_file(tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")
    monkeypatch.setenv("WUYE_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError, match="WUYE_CONFIG points to"):
        load_config()


def test_example_config_is_valid_including_every_plugin_section():
    from pathlib import Path

    from core.runtime import Wuye

    example = Path(__file__).parents[2] / "config.example.toml"
    cfg = load_config(example)
    assert set(cfg.enabled) >= {"billing", "renovation", "keys", "convenience"}
    wuye = Wuye.boot(cfg, use_entry_points=False)  # plugin sections are validated by the plugins' schemas
    assert wuye.settings("renovation")["deposit_fen"] == 200000
    assert wuye.settings("keys")["escort_required_for_custody_keys"] is True
