"""Tables of the web layer, defined in :mod:`core.models.access` (re-exported here for the web code)."""

from core.models.access import ApiToken, LoginAttempt

__all__ = ["ApiToken", "LoginAttempt"]
