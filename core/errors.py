"""Errors users see. Each carries a message that names the field, file or plugin and the fix.

The CLI prints ``WuyeError`` messages without a traceback and exits non-zero; the web layer maps
them to HTTP status codes through ``http_status``.
"""

from __future__ import annotations


class WuyeError(Exception):
    """Base of every error meant for a person rather than a developer."""

    http_status = 400
    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def to_dict(self) -> dict:
        body: dict = {"message": self.message, "code": type(self).__name__}
        if self.field:
            body["field"] = self.field
        return body


class ConfigError(WuyeError):
    """The configuration file is missing, malformed or names an unknown key."""


class PluginError(WuyeError):
    """Plugin discovery or resolution failed; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(f"- {p}" for p in self.problems))


class DatabaseError(WuyeError):
    """The database cannot be reached or is not at the expected schema."""


class ValidationError(WuyeError):
    """Input failed validation. ``errors`` maps field names to lists of messages."""

    http_status = 422

    def __init__(self, errors: dict | str, *, field: str | None = None):
        if isinstance(errors, str):
            errors = {field or "_schema": [errors]}
        self.errors = errors
        first_field = next(iter(errors), None)
        msg = "; ".join(f"{k}: {' '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in errors.items())
        super().__init__(msg, field=field or (first_field if first_field != "_schema" else None))

    def to_dict(self) -> dict:
        body = super().to_dict()
        body["errors"] = self.errors
        return body


class PermissionDenied(WuyeError):
    """The actor lacks the permission, or the record is outside the actor's estates."""

    http_status = 403


class NotFound(WuyeError):
    """No such record, or not one the actor may see (never tells which)."""

    http_status = 404


class Conflict(WuyeError):
    """The operation clashes with the record's current state (already lent, already paid...)."""

    http_status = 409


class WorkflowError(Conflict):
    """A transition is unknown, not allowed from the current state, or vetoed by a guard."""
