"""Attachments (附件): files and photos on any record, type and size checked, kept behind a storage
interface (the instance folder by default), with thumbnails for images. See docs/attachments.md.
"""

from __future__ import annotations

PERMISSIONS: tuple = ()
