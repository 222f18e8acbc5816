"""What an uploaded file is: recognised by its content (magic numbers), never by what the browser says.

Images (JPEG, PNG, GIF, WebP) and PDF are recognised by their first bytes; Office documents and plain
text by their extension, checked against the content (a ``.docx`` is a ZIP package with
``[Content_Types].xml``, a ``.doc`` an OLE2 compound file, a ``.txt`` text without NUL bytes). The
extension must agree with the content: a ``photo.jpg`` that is really a PDF is refused, so a browser
that trusts the extension can never be served one thing as another.

Images are also checked for size in pixels before they are decoded (Pillow's ``MAX_IMAGE_PIXELS``,
a decompression-bomb guard): a tiny file that claims 50,000 × 50,000 pixels is refused.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass

from core.errors import ValidationError
from core.text import Text


@dataclass(frozen=True)
class FileType:
    """One accepted kind of file: its name in ``[attachments] allowed_types``, extensions, MIME type."""

    name: str
    extensions: tuple[str, ...]  # the first one is what stored files are named with
    content_type: str
    label: str
    label_zh: str
    image: bool = False


TYPES: dict[str, FileType] = {t.name: t for t in (
    FileType("jpeg", ("jpg", "jpeg"), "image/jpeg", "JPEG image", "JPEG 图片", image=True),
    FileType("png", ("png",), "image/png", "PNG image", "PNG 图片", image=True),
    FileType("gif", ("gif",), "image/gif", "GIF image", "GIF 图片", image=True),
    FileType("webp", ("webp",), "image/webp", "WebP image", "WebP 图片", image=True),
    FileType("pdf", ("pdf",), "application/pdf", "PDF document", "PDF 文档"),
    FileType("docx", ("docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "Word document", "Word 文档"),
    FileType("xlsx", ("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "Excel workbook", "Excel 表格"),
    FileType("pptx", ("pptx",), "application/vnd.openxmlformats-officedocument.presentationml.presentation",
             "PowerPoint presentation", "PowerPoint 演示文稿"),
    FileType("doc", ("doc",), "application/msword", "Word 97-2003 document", "Word 97-2003 文档"),
    FileType("xls", ("xls",), "application/vnd.ms-excel", "Excel 97-2003 workbook", "Excel 97-2003 表格"),
    FileType("ppt", ("ppt",), "application/vnd.ms-powerpoint", "PowerPoint 97-2003 presentation",
             "PowerPoint 97-2003 演示文稿"),
    FileType("txt", ("txt",), "text/plain; charset=utf-8", "text file", "文本文件"),
    FileType("csv", ("csv",), "text/csv; charset=utf-8", "CSV table", "CSV 表格"),
)}

_OOXML = {"docx", "xlsx", "pptx"}
_OLE = {"doc", "xls", "ppt"}
_TEXT = {"txt", "csv"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str | None:
    """The type the content's first bytes announce: a name of :data:`TYPES`, ``"zip"``, ``"ole"`` or None."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    return None


def extension(filename: str) -> str:
    """The lowercased extension of ``filename`` without the dot ('' when none)."""
    name = filename.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name.strip(".") else ""


def type_for_extension(ext: str) -> FileType | None:
    return next((t for t in TYPES.values() if ext in t.extensions), None)


def _is_ooxml(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "[Content_Types].xml" in z.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):  # exports from Chinese Excel and Notepad are often GBK
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _allowed_text(allowed) -> Text:
    exts = ", ".join(f".{TYPES[n].extensions[0]}" for n in allowed if n in TYPES)
    return Text(exts, "、".join(f".{TYPES[n].extensions[0]}" for n in allowed if n in TYPES))


def _refuse(en: str, zh: str):
    raise ValidationError(Text(en, zh), field="file")


def size_text(n: int) -> str:
    """``n`` bytes as people read it: 512 B, 34 KB, 2.5 MB."""
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def check_file(filename: str, data: bytes, *, allowed, max_bytes: int) -> FileType:
    """The :class:`FileType` of ``data`` named ``filename``, or ``ValidationError`` (field ``file``)
    saying what is wrong and what would be accepted: empty, too large, a type not allowed, an
    extension that does not match the content, or an image too large in pixels or unreadable."""
    allowed = [n for n in allowed if n in TYPES]
    if not data:
        _refuse(f"{filename} is empty; choose the file again", f"{filename} 是空文件，请重新选择")
    if len(data) > max_bytes:
        _refuse(f"{filename} is {size_text(len(data))}; files may be at most {size_text(max_bytes)}: "
                "compress it or split it", f"{filename} 大小 {size_text(len(data))}，超过上限 {size_text(max_bytes)}，"
                "请压缩或拆分后上传")
    ext = extension(filename)
    declared = type_for_extension(ext)
    accepted = _allowed_text(allowed)
    if declared is None or declared.name not in allowed:
        shown = f".{ext}" if ext else "files without an extension"
        shown_zh = f".{ext} 文件" if ext else "没有扩展名的文件"
        _refuse(f"{shown} cannot be attached; allowed types: {accepted.en}",
                f"不能上传{shown_zh}；允许的类型：{accepted.zh}")
    sniffed = sniff(data)
    name = declared.name
    if name in _OOXML:
        ok = sniffed == "zip" and _is_ooxml(data)
    elif name in _OLE:
        ok = sniffed == "ole"
    elif name in _TEXT:
        ok = sniffed is None and _is_text(data)
    else:
        ok = sniffed == name
    if not ok:
        real = TYPES.get(sniffed or "")
        what = f"its content is a {real.label}" if real else "its content is not that kind of file"
        what_zh = f"内容实际是{real.label_zh}" if real else "内容与该类型不符"
        hint = f"rename it to .{real.extensions[0]} if that is right, or " if real and real.name in allowed else ""
        hint_zh = f"如确是该类型请改名为 .{real.extensions[0]}，或" if real and real.name in allowed else ""
        _refuse(f"{filename} is named as a {declared.label} but {what}; {hint}upload the right file",
                f"{filename} 的扩展名是{declared.label_zh}，但{what_zh}；{hint_zh}请上传正确的文件")
    if declared.image:
        image_size(data, filename)
    return declared


def image_size(data: bytes, filename: str = "image") -> tuple[int, int]:
    """``(width, height)`` as stored (before EXIF rotation), refusing decompression bombs and
    unreadable images with a ``ValidationError`` on ``file``."""
    from PIL import Image, UnidentifiedImageError

    limit = Image.MAX_IMAGE_PIXELS or 89_478_485
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                width, height = im.size
                if width * height > limit:
                    raise Image.DecompressionBombError("too many pixels")
                im.verify()  # a truncated or corrupt file is refused now, not when it is shown
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(f"{filename} has too many pixels (more than {limit:,}); resize it before uploading",
                f"{filename} 像素过多（超过 {limit:,}），请缩小后再上传")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        _refuse(f"{filename} cannot be read as an image (damaged?); save it again and upload it",
                f"{filename} 无法作为图片读取（可能已损坏），请重新保存后上传")
    return width, height
