"""Masking personal data (DESIGN 5): ID-card numbers and phones are shown masked to staff who lack
``core.parties.view_sensitive`` and are always masked in the activity trail.

>>> mask_id_number("320102199001011234")
'3201**********1234'
>>> mask_phone("13912345678")
'139****5678'
"""

from __future__ import annotations

VIEW_SENSITIVE = "core.parties.view_sensitive"


def _keep_ends(value: str, head: int, tail: int) -> str:
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail:]


def mask_id_number(value: str | None) -> str:
    """Keep the first 4 and last 4 characters of an ID number (身份证号), mask the rest.

    Short numbers (passports, licences) keep only their last 2 characters; 4 or fewer are fully masked.
    """
    value = (value or "").strip()
    if len(value) <= 4:
        return "*" * len(value)
    if len(value) < 10:
        return _keep_ends(value, 0, 2)
    return _keep_ends(value, 4, 4)


def mask_phone(value: str | None) -> str:
    """Keep the first 3 and last 4 digits of a phone number (mobile ``139****5678``).

    Separators (spaces, dashes, ``+``) stay where they are; numbers of fewer than 7 digits keep only
    their last 2.
    """
    value = (value or "").strip()
    digits = [i for i, c in enumerate(value) if c.isdigit()]
    if len(digits) <= 4:
        return "".join("*" if c.isdigit() else c for c in value)
    head, tail = (3, 4) if len(digits) >= 7 else (0, 2)
    hidden = set(digits[head:len(digits) - tail])
    return "".join("*" if i in hidden else c for i, c in enumerate(value))


MASKERS = {"id_number": mask_id_number, "phone": mask_phone}


def mask(value: str | None, kind: str) -> str:
    """Mask ``value`` as ``kind`` (``id_number`` or ``phone``)."""
    try:
        return MASKERS[kind](value)
    except KeyError:
        raise ValueError(f"unknown kind of sensitive value {kind!r}; use one of {', '.join(MASKERS)}") from None


def masked(session, actor, value: str | None, kind: str) -> str:
    """``value`` as ``actor`` may see it: unmasked only with ``core.parties.view_sensitive``."""
    from core.security.grants import has_permission

    if has_permission(session, actor, VIEW_SENSITIVE):
        return value or ""
    return mask(value, kind)
