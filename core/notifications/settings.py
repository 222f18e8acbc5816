"""The ``[notifications]`` settings of a session's instance, with defaults and the SMTP password from the
environment (``WUYE_SMTP_PASSWORD`` wins over the file, so the secret need not live in it)."""

from __future__ import annotations

import copy
import os

SMTP_PASSWORD_ENV = "WUYE_SMTP_PASSWORD"

DEFAULTS: dict = {
    "max_attempts": 5, "backoff_seconds": 60, "batch_size": 200, "default_language": None,
    "smtp": {"host": "", "port": 25, "username": "", "password": "", "from_address": "wuye@localhost",
             "starttls": False, "ssl": False, "timeout": 10},
    "sms": {"gateway": "log"}, "wechat": {"gateway": "log"},
}


def merged(section: dict | None) -> dict:
    """``section`` (validated or partial) over the defaults, one level of nesting deep."""
    out = copy.deepcopy(DEFAULTS)
    for key, value in (section or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    password = os.environ.get(SMTP_PASSWORD_ENV)
    if password:
        out["smtp"]["password"] = password
    return out


def notification_settings(session) -> dict:
    """The instance's ``[notifications]`` settings (defaults for a session of no booted instance)."""
    wuye = session.info.get("wuye")
    config = getattr(wuye, "config", None)
    return merged(getattr(config, "notifications", None))


def default_language(session) -> str:
    """``[notifications] default_language``, else ``[core] locale``, else zh_CN."""
    settings = notification_settings(session)
    if settings.get("default_language"):
        return settings["default_language"]
    config = getattr(session.info.get("wuye"), "config", None)
    return getattr(config, "locale", None) or "zh_CN"
