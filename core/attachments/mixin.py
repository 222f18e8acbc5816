"""The opt-in: a model whose records take attachments inherits :class:`Attachable`.

It adds no column and no table (attachments live in ``core_attachments``, keyed by the record's
table and id); it only tells the admin record page to show the 附件 card and the API to accept
uploads for the model, and it carries the model's preferences::

    from core.attachments import Attachable

    class RepairOrder(Attachable, Base):
        __tablename__ = "repairs_orders"
        attachment_kinds = ("photo", "invoice", "other")   # the kind select of the upload form
        attachment_max_mb = 10                             # lower than [attachments] max_size_mb
        attachment_types = ("jpeg", "png", "webp", "pdf")  # a subset of [attachments] allowed_types
"""

from __future__ import annotations

from core.text import Text

# The kinds a file can be; a model may name its own in ``attachment_kinds`` as {name: (en, zh)}.
KINDS: dict[str, tuple[str, str]] = {
    "photo": ("Photo", "照片"),
    "drawing": ("Drawing", "图纸"),
    "contract": ("Contract", "合同"),
    "id_copy": ("ID copy", "证件复印件"),
    "invoice": ("Receipt or invoice", "票据"),
    "report": ("Report", "报告"),
    "other": ("Other", "其他"),
}


class Attachable:
    """Marker mixin: records of this model take attachments (photos, drawings, contracts...).

    Class attributes (all optional):

    * ``attachment_kinds``: names from :data:`KINDS`, or a dict ``{name: (English, 中文)}`` of the
      model's own; default: every kind of :data:`KINDS`;
    * ``attachment_max_mb``: a lower size limit for this model's files (never above the config's);
    * ``attachment_types``: file types accepted for this model (names of ``[attachments]
      allowed_types``; only those the config also allows count).
    """

    attachment_kinds: tuple[str, ...] | dict[str, tuple[str, str]] = tuple(KINDS)
    attachment_max_mb: int | None = None
    attachment_types: tuple[str, ...] | None = None


def is_attachable(model_or_record) -> bool:
    """True when the model (or the record's model) inherits :class:`Attachable`."""
    cls = model_or_record if isinstance(model_or_record, type) else type(model_or_record)
    return issubclass(cls, Attachable)


def kinds_of(model) -> dict[str, Text]:
    """``{name: Text(English, 中文)}`` of the kinds ``model`` accepts, in its order."""
    declared = getattr(model, "attachment_kinds", None) or tuple(KINDS)
    if isinstance(declared, dict):
        return {name: Text(*pair) for name, pair in declared.items()}
    return {name: Text(*KINDS.get(name, (name, name))) for name in declared}


def attachable_models(wuye) -> dict[str, type]:
    """``{table name: model}`` of the enabled models that take attachments (for the API's documentation
    and to find a record by its table)."""
    models = getattr(getattr(wuye, "registry", None), "models", None) or {}
    return {table: cls for table, cls in sorted(models.items()) if issubclass(cls, Attachable)}
