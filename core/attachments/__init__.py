"""Attachments (附件): files and photos on any record, type and size checked, kept behind a storage
interface (the instance folder by default), with thumbnails for images. See docs/attachments.md.

* opt a model in with the :class:`Attachable` mixin (no columns): its record page shows the 附件
  card and the API accepts uploads for it;
* :func:`add_attachment` / :func:`remove_attachment` / :func:`read` / :func:`list_attachments` are the
  services; :class:`Storage`, :class:`LocalStorage` and :func:`register_backend` the storage;
* ``[attachments]`` in the config: ``storage``, ``path``, ``max_size_mb``, ``allowed_types``.

``core.activity.attach`` (bytes kept in the database, no checks) keeps working for older callers.
"""

from __future__ import annotations

from core.attachments.checks import TYPES, FileType, check_file, sniff
from core.attachments.mixin import KINDS, Attachable, attachable_models, is_attachable, kinds_of
from core.attachments.service import (
    REMOVE_ANY,
    add_attachment,
    check_attachment,
    clean_filename,
    describe,
    get_attachment,
    limits_for,
    list_attachments,
    may_remove,
    model_for_table,
    read,
    read_thumbnail,
    record_of,
    remove_attachment,
)
from core.attachments.storage import (
    LocalStorage,
    Storage,
    register_backend,
    settings_of,
    storage_for,
    storage_of,
    use_storage,
)
from core.attachments.thumbnails import THUMBNAIL_PX, make_thumbnail
from core.security import Permission

# The names the plugin kit exports (``from core import ...``): unambiguous next to the kit's other names.
AttachmentStorage = Storage
read_attachment = read
register_attachment_backend = register_backend

PERMISSIONS: tuple = (
    # Removing one's own upload needs only the record's edit permission; removing a colleague's needs this.
    Permission(REMOVE_ANY, "Remove files other staff attached", "删除他人上传的附件",
               ("general_manager", "office_manager", "cs_center_manager", "cs_supervisor",
                "engineering_supervisor", "chief_engineer")),
)
JOBS: tuple = ()
EVENTS: tuple = ()

__all__ = [
    "KINDS", "PERMISSIONS", "REMOVE_ANY", "THUMBNAIL_PX", "TYPES", "Attachable", "AttachmentStorage", "FileType",
    "LocalStorage", "read_attachment", "register_attachment_backend",
    "Storage", "add_attachment", "attachable_models", "check_attachment", "check_file", "clean_filename", "describe",
    "get_attachment", "is_attachable", "kinds_of", "limits_for", "list_attachments", "make_thumbnail",
    "may_remove", "model_for_table", "read", "read_thumbnail", "record_of", "register_backend",
    "remove_attachment", "settings_of", "sniff", "storage_for", "storage_of", "use_storage",
]

