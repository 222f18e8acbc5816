"""Thumbnails of attached images (Pillow): at most 320 px on the longer side, upright.

Phones store photos sideways with an EXIF orientation tag; the thumbnail is turned the way the
photo was taken (``ImageOps.exif_transpose``), and the width and height recorded are the upright
ones. Opaque images become JPEG, images with transparency WebP (JPEG has no alpha channel).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

THUMBNAIL_PX = 320
JPEG_QUALITY = 82


@dataclass(frozen=True)
class Thumbnail:
    data: bytes
    extension: str  # "jpg" or "webp"
    content_type: str
    width: int  # of the original, upright
    height: int


def _has_alpha(im) -> bool:
    return im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)


def make_thumbnail(data: bytes, *, max_px: int = THUMBNAIL_PX) -> Thumbnail:
    """The thumbnail of the image ``data`` (already checked by :func:`core.attachments.checks.check_file`)."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as original:
        original.seek(0)  # the first frame of an animated GIF or WebP
        upright = ImageOps.exif_transpose(original)
        width, height = upright.size
        thumb = upright.copy()
    thumb.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if _has_alpha(thumb):
        thumb.convert("RGBA").save(out, "WEBP", quality=JPEG_QUALITY)
        return Thumbnail(out.getvalue(), "webp", "image/webp", width, height)
    thumb.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return Thumbnail(out.getvalue(), "jpg", "image/jpeg", width, height)
