"""What a file is, by its content: sniffing, the extension rule, size and pixel limits, thumbnails."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from core.attachments import TYPES, check_file, make_thumbnail, sniff
from core.attachments.checks import size_text
from core.config import ATTACHMENT_TYPES
from core.errors import ValidationError
from tests.core.attachments.conftest import PDF, image_bytes

ALL = list(ATTACHMENT_TYPES)
MB = 1024 * 1024


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_the_config_names_exactly_the_types_the_checks_know():
    assert set(ATTACHMENT_TYPES) == set(TYPES)


@pytest.mark.parametrize("fmt, name", [("JPEG", "jpeg"), ("PNG", "png"), ("GIF", "gif"), ("WEBP", "webp")])
def test_images_are_recognised_by_their_first_bytes(fmt, name):
    data = image_bytes((30, 20), fmt)
    assert sniff(data) == name
    assert check_file(f"photo.{TYPES[name].extensions[0]}", data, allowed=ALL, max_bytes=MB).name == name


def test_pdf_office_and_text_are_accepted_when_the_content_agrees():
    assert check_file("plan.pdf", PDF, allowed=ALL, max_bytes=MB).content_type == "application/pdf"
    assert check_file("合同.docx", docx_bytes(), allowed=ALL, max_bytes=MB).name == "docx"
    assert check_file("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, allowed=ALL, max_bytes=MB).name == "doc"
    assert check_file("notes.txt", "业主来电：漏水".encode(), allowed=ALL, max_bytes=MB).name == "txt"
    assert check_file("list.csv", "房号,金额\n1201,120\n".encode("gb18030"), allowed=ALL, max_bytes=MB).name == "csv"


def test_a_jpg_that_is_really_a_pdf_is_refused_naming_the_field_and_the_fix():
    with pytest.raises(ValidationError) as exc:
        check_file("photo.jpg", PDF, allowed=ALL, max_bytes=MB)
    assert exc.value.field == "file"
    assert "photo.jpg is named as a JPEG image but its content is a PDF document" in exc.value.message
    assert "rename it to .pdf" in exc.value.message
    assert "扩展名是JPEG 图片，但内容实际是PDF 文档" in exc.value.errors["file"][0].zh


@pytest.mark.parametrize("name, data", [
    ("report.docx", b"PK\x03\x04not really a zip"),          # a ZIP header but no Office package
    ("report.docx", PDF),
    ("notes.txt", PDF),                                       # text must not be another known type
    ("notes.txt", b"MZ\x90\x00\x03\x00\x00\x00"),             # binary (NUL bytes)
    ("scan.png", image_bytes((10, 10), "JPEG")),              # one image type named as another
    ("photo.jpg", b"\xff\xd8\xff\xe0 truncated"),             # a JPEG header on nothing
])
def test_content_that_does_not_match_the_extension_is_refused(name, data):
    with pytest.raises(ValidationError) as exc:
        check_file(name, data, allowed=ALL, max_bytes=MB)
    assert exc.value.field == "file"


@pytest.mark.parametrize("name", ["virus.exe", "page.html", "image.svg", "no_extension", "archive.zip"])
def test_types_not_in_the_list_are_refused_listing_the_allowed_ones(name):
    with pytest.raises(ValidationError) as exc:
        check_file(name, b"hello", allowed=ALL, max_bytes=MB)
    assert "cannot be attached; allowed types: .jpg, .png, .gif, .webp, .pdf" in exc.value.message


def test_the_allowed_list_narrows_what_is_accepted():
    with pytest.raises(ValidationError, match=r"\.pdf cannot be attached; allowed types: \.jpg, \.png$"):
        check_file("plan.pdf", PDF, allowed=["jpeg", "png"], max_bytes=MB)


def test_size_limit_and_empty_files():
    with pytest.raises(ValidationError, match=r"big.pdf is 2 MB; files may be at most 1 MB"):
        check_file("big.pdf", PDF + b"0" * (2 * MB), allowed=ALL, max_bytes=MB)
    with pytest.raises(ValidationError, match="empty"):
        check_file("empty.pdf", b"", allowed=ALL, max_bytes=MB)
    assert [size_text(n) for n in (512, 34 * 1024, 5 * MB // 2, 20 * MB)] == ["512 B", "34 KB", "2.5 MB", "20 MB"]


def test_a_decompression_bomb_is_refused_before_it_is_decoded(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)  # a 200 x 100 image counts as a bomb here
    data = image_bytes((200, 100), "PNG")
    with pytest.raises(ValidationError, match="too many pixels"):
        check_file("bomb.png", data, allowed=ALL, max_bytes=MB)
    assert check_file("fine.png", image_bytes((100, 100), "PNG"), allowed=ALL, max_bytes=MB).name == "png"


def test_thumbnails_fit_320_pixels_and_keep_the_proportions():
    thumb = make_thumbnail(image_bytes((1600, 1200), "JPEG"))
    assert (thumb.width, thumb.height, thumb.extension) == (1600, 1200, "jpg")
    with Image.open(io.BytesIO(thumb.data)) as im:
        assert (im.format, im.size) == ("JPEG", (320, 240))
    small = make_thumbnail(image_bytes((100, 50), "PNG"))
    with Image.open(io.BytesIO(small.data)) as im:
        assert im.size == (100, 50)  # never enlarged


def test_a_sideways_phone_photo_is_turned_upright():
    # Orientation 6: the camera stored the picture turned; viewers rotate it 90° clockwise.
    thumb = make_thumbnail(image_bytes((640, 320), "JPEG", orientation=6))
    assert (thumb.width, thumb.height) == (320, 640)
    with Image.open(io.BytesIO(thumb.data)) as im:
        assert im.size == (160, 320)


def test_transparent_images_get_a_webp_thumbnail():
    thumb = make_thumbnail(image_bytes((400, 400), "PNG", color=(0, 0, 0, 0), mode="RGBA"))
    assert (thumb.extension, thumb.content_type) == ("webp", "image/webp")
    with Image.open(io.BytesIO(thumb.data)) as im:
        assert im.format == "WEBP" and im.size == (320, 320) and im.mode == "RGBA"
