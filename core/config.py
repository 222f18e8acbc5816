"""Configuration: one TOML file (``wuye.toml``), validated with marshmallow.

Where the file comes from, first match wins: the ``--config`` option, the ``WUYE_CONFIG``
environment variable, ``./wuye.toml``. With none of them the built-in defaults apply (SQLite in
``instance/wuye.sqlite3``, no plugins enabled).

Every unknown key is an error naming the file and the key. Plugin sections
(``[plugins.<name>]``) are validated later, by the plugin's own schema, once plugins are known.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from marshmallow import RAISE, Schema, fields, validate
from marshmallow import ValidationError as MmValidationError

from core.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite:///instance/wuye.sqlite3"
DEFAULT_ATTACHMENTS_PATH = "instance/attachments"
# File types an attachment may be (core.attachments.checks knows how to recognise each).
ATTACHMENT_TYPES = ("jpeg", "png", "gif", "webp", "pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "txt", "csv")
SECRET_ENV = "WUYE_SECRET_KEY"


class TomlBoolean(fields.Boolean):
    """A TOML ``true`` or ``false`` only: not ``"false"`` (a string) nor ``0`` (which would read as true/false)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not bool:
            raise self.make_error("invalid")
        return value


class CoreSection(Schema):
    class Meta:
        unknown = RAISE

    database_url = fields.String(load_default=DEFAULT_DATABASE_URL, validate=validate.Length(min=1))
    secret_key = fields.String(load_default=None, allow_none=True)
    locale = fields.String(load_default="zh_CN", validate=validate.OneOf(["zh_CN", "en"]))
    timezone = fields.String(load_default="Asia/Shanghai")
    company_name = fields.String(load_default="Wuye Property Services")
    secure_cookies = TomlBoolean(
        load_default=True,
        error_messages={"invalid": "must be true or false (a TOML boolean, without quotes)"},
        metadata={"description": "mark the session cookie Secure (HTTPS only); false only for plain HTTP "
                                 "on a trusted network"})
    trusted_proxies = fields.Integer(
        load_default=0, strict=True,
        validate=validate.Range(min=0, max=5, error="must be a whole number from {min} to {max}: how many "
                                                    "reverse proxies stand in front of Wuye (0 when none)"),
        error_messages={"invalid": "must be a whole number (0 when no reverse proxy stands in front of Wuye)"},
        metadata={"description": "how many reverse proxies' X-Forwarded-For/-Proto/-Host/-Port headers to trust"})


class PluginsSection(Schema):
    """``[plugins]``: ``enabled`` plus one free-form sub-table per plugin, validated later."""

    class Meta:
        unknown = RAISE

    enabled = fields.List(fields.String(), load_default=list)


class WorkflowOverride(Schema):
    """``[workflows.<name>]``: company overrides of a workflow, applied without evaluating strings."""

    class Meta:
        unknown = RAISE

    disabled_transitions = fields.List(fields.String(), load_default=list)
    second_approver = fields.List(
        fields.String(), load_default=list,
        metadata={"description": "transitions that need a second approver who is not the requester"},
    )


class SmtpSection(Schema):
    """``[notifications.smtp]``: the mail server the e-mail channel sends through."""

    class Meta:
        unknown = RAISE

    host = fields.String(load_default="", metadata={"description": "empty: e-mails are not sent (they fail and retry)"})
    port = fields.Integer(load_default=25, strict=True, validate=validate.Range(min=1, max=65535))
    username = fields.String(load_default="")
    password = fields.String(load_default="", metadata={"description": "prefer the WUYE_SMTP_PASSWORD variable"})
    from_address = fields.String(load_default="wuye@localhost")
    starttls = TomlBoolean(load_default=False, error_messages={"invalid": "must be true or false (a TOML boolean)"})
    ssl = TomlBoolean(load_default=False, error_messages={"invalid": "must be true or false (a TOML boolean)"})
    timeout = fields.Integer(load_default=10, strict=True, validate=validate.Range(min=1, max=300))


class GatewaySection(Schema):
    """``[notifications.sms]`` / ``[notifications.wechat]``: which gateway sends (``log`` writes to the log)."""

    class Meta:
        unknown = RAISE

    gateway = fields.String(load_default="log", validate=validate.Length(min=1))


class NotificationsSection(Schema):
    """``[notifications]``: retries of the delivery job and the channels' settings (docs/notifications.md)."""

    class Meta:
        unknown = RAISE

    max_attempts = fields.Integer(load_default=5, strict=True, validate=validate.Range(min=1, max=100))
    backoff_seconds = fields.Integer(load_default=60, strict=True, validate=validate.Range(min=1))
    batch_size = fields.Integer(load_default=200, strict=True, validate=validate.Range(min=1, max=10000))
    default_language = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(["zh_CN", "en"]))
    smtp = fields.Nested(SmtpSection, load_default=lambda: SmtpSection().load({}))
    sms = fields.Nested(GatewaySection, load_default=lambda: GatewaySection().load({}))
    wechat = fields.Nested(GatewaySection, load_default=lambda: GatewaySection().load({}))


class AttachmentsSection(Schema):
    """``[attachments]``: where attached files are kept and what is accepted (docs/attachments.md)."""

    class Meta:
        unknown = RAISE

    storage = fields.String(load_default="local", validate=validate.Length(min=1),
                            metadata={"description": "the storage backend: local (files under path) or one a "
                                                     "plugin registered (register_attachment_backend)"})
    path = fields.String(load_default=DEFAULT_ATTACHMENTS_PATH, validate=validate.Length(min=1),
                         metadata={"description": "folder of the local storage, relative to the config file"})
    max_size_mb = fields.Integer(
        load_default=20, strict=True,
        validate=validate.Range(min=1, max=1024, error="must be a whole number of megabytes from {min} to {max}"))
    allowed_types = fields.List(
        fields.String(validate=validate.OneOf(ATTACHMENT_TYPES, error="unknown file type {input}; use some of: "
                                              + ", ".join(ATTACHMENT_TYPES))),
        load_default=lambda: list(ATTACHMENT_TYPES))


class JobsSection(Schema):
    """``[jobs]``: the task queue (docs/jobs.md). Without ``broker_url`` tasks run in the calling process."""

    class Meta:
        unknown = RAISE

    broker_url = fields.String(load_default="", metadata={"description": "e.g. redis://127.0.0.1:6379/0; "
                                                                        "empty: no queue, tasks run in-process"})
    queue = fields.String(load_default="wuye", validate=validate.Length(min=1, max=100))
    max_attempts = fields.Integer(load_default=3, strict=True, validate=validate.Range(min=1, max=100))
    retry_delay_seconds = fields.Integer(load_default=10, strict=True, validate=validate.Range(min=0))
    visibility_timeout = fields.Integer(load_default=3600, strict=True, validate=validate.Range(min=10))


class ConfigFile(Schema):
    class Meta:
        unknown = RAISE

    core = fields.Nested(CoreSection, load_default=lambda: CoreSection().load({}))
    plugins = fields.Raw(load_default=dict)
    workflows = fields.Dict(keys=fields.String(), values=fields.Nested(WorkflowOverride), load_default=dict)
    attachments = fields.Nested(AttachmentsSection, load_default=lambda: AttachmentsSection().load({}))
    notifications = fields.Nested(NotificationsSection, load_default=lambda: NotificationsSection().load({}))
    jobs = fields.Nested(JobsSection, load_default=lambda: JobsSection().load({}))


@dataclass
class Config:
    """The validated configuration."""

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str | None = None
    locale: str = "zh_CN"
    timezone: str = "Asia/Shanghai"
    company_name: str = "Wuye Property Services"
    secure_cookies: bool = True
    trusted_proxies: int = 0
    enabled: list[str] = field(default_factory=list)
    plugin_settings: dict[str, dict] = field(default_factory=dict)
    workflows: dict[str, dict] = field(default_factory=dict)
    notifications: dict = field(default_factory=dict)  # [notifications], validated; {} = defaults
    attachments: dict = field(default_factory=dict)  # [attachments], validated, path resolved; {} = defaults
    jobs: dict = field(default_factory=dict)  # [jobs], validated; {} = defaults (no broker: in-process)
    path: Path | None = None

    @property
    def source(self) -> str:
        return str(self.path) if self.path else "built-in defaults"


def _flatten(errors: dict, prefix: str = "") -> list[str]:
    out = []
    for key, val in errors.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(val, dict):
            out.extend(_flatten(val, name))
        else:
            msgs = val if isinstance(val, list) else [val]
            for m in msgs:
                if m == "Unknown field.":
                    out.append(f"unknown key '{name}': remove it or check its spelling (see config.example.toml)")
                else:
                    out.append(f"'{name}': {m}")
    return out


def find_config_path(explicit: str | os.PathLike | None = None) -> Path | None:
    """The config file to use, or None for built-in defaults."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist: create it from config.example.toml")
        return path
    env = os.environ.get("WUYE_CONFIG")
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(f"WUYE_CONFIG points to {path}, which does not exist: fix the variable or create the file")
        return path
    local = Path("wuye.toml")
    return local if local.is_file() else None


def _resolve_sqlite_url(url: str, base: Path | None) -> str:
    # A relative SQLite path in a config file is relative to that file, so `WUYE_CONFIG=DIR/wuye.toml`
    # works from any working directory.
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == "sqlite://" or url.startswith("sqlite:////"):
        return url
    rel = url[len(prefix):]
    if not rel or rel.startswith(":memory:") or base is None:
        return url
    return prefix + str((base / rel).resolve())


def _resolve_attachments(section: dict, base: Path | None) -> dict:
    # Like the SQLite path: a relative attachments folder in a config file is relative to that file.
    folder = Path(section["path"])
    if base is not None and not folder.is_absolute():
        folder = (base / folder).resolve()
    return {**section, "path": str(folder)}


def load_data(data: dict, *, path: Path | None = None) -> Config:
    """Validate an already-parsed config mapping."""
    where = str(path) if path else "configuration"
    try:
        loaded = ConfigFile().load(data)
    except MmValidationError as exc:
        raise ConfigError(f"{where}: " + "; ".join(_flatten(exc.messages))) from None
    plugins = loaded["plugins"]
    if not isinstance(plugins, dict):
        raise ConfigError(f"{where}: '[plugins]' must be a table")
    settings = {k: v for k, v in plugins.items() if k != "enabled"}
    try:
        enabled = PluginsSection().load({"enabled": plugins.get("enabled", [])})["enabled"]
    except MmValidationError as exc:
        raise ConfigError(f"{where}: " + "; ".join(_flatten(exc.messages, "plugins"))) from None
    for name, section in settings.items():
        if not isinstance(section, dict):
            raise ConfigError(f"{where}: 'plugins.{name}' must be a table ([plugins.{name}]) or be removed")
    dupes = sorted({n for n in enabled if enabled.count(n) > 1})
    if dupes:
        raise ConfigError(f"{where}: 'plugins.enabled' lists {', '.join(dupes)} more than once")
    core = loaded["core"]
    base = path.parent if path else None
    return Config(
        database_url=_resolve_sqlite_url(core["database_url"], base),
        secret_key=os.environ.get(SECRET_ENV) or core["secret_key"],
        locale=core["locale"],
        timezone=core["timezone"],
        company_name=core["company_name"],
        secure_cookies=core["secure_cookies"],
        trusted_proxies=core["trusted_proxies"],
        enabled=list(enabled),
        plugin_settings=settings,
        workflows=loaded["workflows"],
        notifications=loaded["notifications"],
        attachments=_resolve_attachments(loaded["attachments"], base),
        jobs=loaded["jobs"],
        path=path,
    )


def load_config(explicit: str | os.PathLike | None = None) -> Config:
    """Find, read and validate the configuration file (see module docstring for the search order)."""
    path = find_config_path(explicit)
    if path is None:
        return load_data({})
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the syntax at the position given") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    return load_data(data, path=path)
