"""Translated names of core columns and values (extracted into the catalogues by ``pybabel``).

Plugin columns without their own labels fall back to these when the name matches
(``estate_id`` -> "Estate" -> 小区), so common fields read well in both languages.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Column names (after ``prettify``: "estate_id" -> "Estate", "created_at" -> "Created at").
COMMON = (
    _l("Id"), _l("Code"), _l("Name"), _l("Kind"), _l("Address"), _l("Timezone"), _l("Management office"),
    _l("Office phone"), _l("Created at"), _l("Updated at"), _l("Estate"), _l("Building"), _l("Unit"),
    _l("Phase"), _l("Floors"), _l("Floor"), _l("Entrance"), _l("Room no"), _l("Unit type"), _l("Built area"),
    _l("Interior area"), _l("Status"), _l("Delivered on"), _l("Usage nature"), _l("Label"), _l("Id type"),
    _l("Id number"), _l("Phone"), _l("Phone2"), _l("Email"), _l("Notes"), _l("Party"), _l("Comment"),
    _l("Number"), _l("Amount fen"), _l("Due on"), _l("Paid at"), _l("Description"), _l("Title"),
    _l("Username"), _l("Full name"), _l("Employee no"), _l("Active"), _l("Locale"), _l("Roles"), _l("Estates"),
    _l("Department"), _l("Zone"), _l("Key"), _l("Borrower"), _l("Lent at"), _l("Returned at"), _l("Due at"),
    _l("Reason"), _l("Owner"), _l("Tenant"), _l("Start on"), _l("End on"), _l("Period"), _l("Amount"),
    _l("Quantity"), _l("Unit price fen"), _l("Total fen"), _l("Created by"), _l("Staff"), _l("Role"),
)

UNIT_STATUS = {
    "not_delivered": _l("Not delivered"), "notified": _l("Move-in notified"), "delivered": _l("Delivered"),
    "deemed_delivered": _l("Deemed delivered"), "renovating": _l("Renovating"), "occupied": _l("Occupied"),
    "rented": _l("Rented"), "vacant": _l("Vacant"), "moved_out": _l("Moved out"),
}
UNIT_TYPE = {"residential": _l("Residential"), "shop": _l("Shop"), "office": _l("Office"),
             "parking": _l("Parking space"), "storage": _l("Storage room")}
PARTY_KIND = {"person": _l("Person"), "company": _l("Company")}
RELATION_KIND = {"owner": _l("Owner"), "household_member": _l("Household member"), "tenant": _l("Tenant"),
                 "agent": _l("Agent"), "contractor": _l("Contractor")}
ESTATE_KIND = {"residential": _l("Residential"), "office": _l("Office building"), "commercial": _l("Commercial"),
               "villa": _l("Villas")}

VALUE_LABELS = {"UnitStatus": UNIT_STATUS, "UnitType": UNIT_TYPE, "PartyKind": PARTY_KIND,
                "RelationKind": RELATION_KIND}

# marshmallow's messages, shown on admin form fields in the user's language (the API keeps English).
MESSAGES = (
    _l("Missing data for required field."), _l("Not a valid integer."), _l("Not a valid number."),
    _l("Not a valid date."), _l("Not a valid datetime."), _l("Not a valid string."), _l("Not a valid boolean."),
    _l("Unknown field."), _l("Field may not be null."), _l("Not a valid email address."), _l("Invalid value."),
    _l("Not a valid choice."), _l("Must not contain NUL characters."), _l("Invalid input type."),
    _l("Not a known time zone, e.g. Asia/Shanghai."),
    _l("The state changes only through a transition; use one."),
)
PATTERNS = (
    (r"^Longer than maximum length (?P<n>\d+)\.$", _l("Longer than maximum length %(n)s.")),
    (r"^Shorter than minimum length (?P<n>\d+)\.$", _l("Shorter than minimum length %(n)s.")),
    (r"^Length must be between (?P<a>\d+) and (?P<b>\d+)\.$", _l("Length must be between %(a)s and %(b)s.")),
    (r"^Must be one of: (?P<choices>.*)\.$", _l("Must be one of: %(choices)s.")),
    (r"^Must be greater than or equal to (?P<a>\S+) and less than or equal to (?P<b>\S+)\.$",
     _l("Must be between %(a)s and %(b)s.")),
    (r"^Must be greater than or equal to (?P<a>\S+)\.$", _l("Must be at least %(a)s.")),
    (r"^Must be less than or equal to (?P<b>\S+)\.$", _l("Must be at most %(b)s.")),
    (r"^Must be between (?P<a>\S+) and (?P<b>\S+)\.$", _l("Must be between %(a)s and %(b)s.")),
)


def translate_message(message: str) -> str:
    """A validation message in the user's language (unchanged when unknown)."""
    import re

    from flask_babel import gettext

    for pattern, lazy in PATTERNS:
        m = re.match(pattern, message)
        if m:
            return gettext(lazy._args[0], **m.groupdict())
    return gettext(message)
