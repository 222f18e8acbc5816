"""Errors users see. Each carries a message that names the field, file or plugin and the fix.

The CLI prints ``WuyeError`` messages without a traceback and exits non-zero; the web layer maps
them to HTTP status codes through ``http_status``.
"""

from __future__ import annotations


def english(message) -> str:
    """The English text of a message (a ``core.Text`` renders in the request's language otherwise)."""
    return str.__str__(message) if isinstance(message, str) else str(message)


def _english_errors(errors):
    if isinstance(errors, dict):
        return {k: _english_errors(v) for k, v in errors.items()}
    if isinstance(errors, list | tuple):
        return [_english_errors(v) for v in errors]
    return english(errors) if isinstance(errors, str) else errors


class WuyeError(Exception):
    """Base of every error meant for a person rather than a developer.

    ``message`` may be a ``core.Text(en, zh)``: the admin shows it in the user's language, the API
    and the logs keep the English text.
    """

    http_status = 400
    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def to_dict(self) -> dict:
        body: dict = {"message": english(self.message), "code": type(self).__name__}
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
        msg = "; ".join(f"{k}: {' '.join(map(english, v)) if isinstance(v, list) else english(v)}"
                        for k, v in errors.items())
        super().__init__(msg, field=field or (first_field if first_field != "_schema" else None))

    def to_dict(self) -> dict:
        body = super().to_dict()
        body["errors"] = _english_errors(self.errors)
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


class ConfirmationRequired(Conflict):
    """The input needs an explicit yes (an overpayment goes to prepaid...): resend it with ``confirm=True``.

    A service raises it unless its data carries ``confirm=True`` (the schema declares a load-only
    ``Boolean`` ``confirm``); the message says what is being confirmed, with the amounts. The admin
    form then shows the message and a confirmation box; the API answers 409 with this code.
    """


class WorkflowError(Conflict):
    """A transition is unknown, not allowed from the current state, or vetoed by a guard."""
