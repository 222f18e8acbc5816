"""The ``[plugins.archive]`` config section, validated at startup by ``wuye_config_schema``.

Example::

    [plugins.archive]
    required_documents = ["owner_covenant", "fire_safety_letter", "household_form", "handover_form"]
    access_hours = 24          # an approved access request lasts 24 hours
    census_months = 3          # the household census is quarterly (KF09 §4.4.2)
    census_days = 30           # a round is due 30 days after it opens
    retention_years = 0        # archives of moved-out owners: 0 = permanent (KF09 §4.6)
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from plugins.archive.models import DocumentType

DEFAULT_REQUIRED = ("owner_covenant", "fire_safety_letter", "household_form", "receipt_form", "key_register",
                    "handover_form", "owner_certificate")


class Settings(Schema):
    """``[plugins.archive]`` in wuye.toml."""

    required_documents = fields.List(
        fields.String(validate=validate.OneOf([t.value for t in DocumentType])),
        load_default=list(DEFAULT_REQUIRED),
        metadata={"description": "document types every archive must hold (completeness check)"})
    access_hours = fields.Integer(load_default=24, strict=True, validate=validate.Range(min=1, max=24 * 30),
                                  metadata={"description": "hours an approved access request stays valid"})
    census_months = fields.Integer(load_default=3, strict=True, validate=validate.Range(min=1, max=24),
                                   metadata={"description": "months between household census rounds"})
    census_days = fields.Integer(load_default=30, strict=True, validate=validate.Range(min=1, max=180),
                                 metadata={"description": "days a census round has to check every unit"})
    retention_years = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0, max=100),
                                     metadata={"description": "years archives of moved-out owners are kept before "
                                                              "review; 0 = permanent (never listed)"})


def archive_settings(session) -> dict:
    """The validated section, or its defaults when the session belongs to no booted instance."""
    from core import settings_of

    return settings_of(session, "archive", Settings().load({}))
