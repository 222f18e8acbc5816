"""add_attachment / remove_attachment / read: bytes in the storage, rows and trail in the database,
files following the transaction, scoping like the record, and the older attach() still working."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from PIL import Image

from core.activity import attach, attachments, timeline
from core.attachments import (
    add_attachment,
    attachable_models,
    get_attachment,
    list_attachments,
    read,
    read_thumbnail,
    remove_attachment,
)
from core.errors import NotFound, PermissionDenied, ValidationError
from core.models.activity import Attachment
from tests.core.attachments.conftest import PDF, image_bytes, stored
from tests.core.attachments.fixture_plugin.atttest.models import AtMemo, AtReport

NOW = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)


def test_an_image_goes_to_the_storage_with_a_thumbnail_and_joins_the_trail(att, files):
    s, report, cs = att.session, att.reports["A"], att.users["cs_a"]
    data = image_bytes((1200, 900), "JPEG")
    a = add_attachment(s, cs, report, "C:\\相册\\漏水.JPG", data, kind="photo", now=NOW)
    assert (a.filename, a.content_type, a.size, a.kind, a.width, a.height) == (
        "漏水.JPG", "image/jpeg", len(data), "photo", 1200, 900)
    assert (a.record_table, a.record_id, a.estate_id, a.uploaded_by_id) == (
        "atttest_reports", str(report.id), att.a.id, cs.id)
    assert a.sha256 == hashlib.sha256(data).hexdigest() and a.data is None
    assert a.storage_key.startswith("2026/12/") and a.storage_key.endswith(".jpg")
    assert a.thumbnail_key == a.storage_key[:-4] + ".thumb.jpg"
    assert stored(files) == sorted([a.storage_key, a.thumbnail_key])
    assert read(s, a) == data
    thumb, content_type = read_thumbnail(s, a)
    with Image.open(io.BytesIO(thumb)) as im:
        assert (content_type, im.size) == ("image/jpeg", (320, 240))
    entry = timeline(s, report)[-1]
    assert (entry.action, entry.actor_id, entry.detail) == ("attachment", cs.id, "漏水.JPG")
    assert [x.id for x in list_attachments(s, report)] == [a.id] == [x.id for x in attachments(s, report)]


def test_a_refused_file_leaves_nothing_behind(att, files):
    s, report = att.session, att.reports["A"]
    before = s.query(Attachment).count()
    with pytest.raises(ValidationError) as exc:
        add_attachment(s, att.users["cs_a"], report, "photo.jpg", PDF)
    assert exc.value.field == "file" and "its content is a PDF document" in exc.value.message
    with pytest.raises(ValidationError, match="big.jpg is 6 MB; files may be at most 5 MB"):  # the model's limit
        add_attachment(s, att.users["cs_a"], report, "big.jpg", image_bytes((10, 10)) + b"0" * (6 * 1024 * 1024))
    with pytest.raises(ValidationError, match=r"\.txt cannot be attached") as exc:
        add_attachment(s, att.users["cs_a"], report, "x.txt", b"text")
    with pytest.raises(ValidationError, match="unknown kind 'contract'; use one of photo, drawing, other") as exc:
        add_attachment(s, att.users["cs_a"], report, "plan.pdf", PDF, kind="contract")
    assert exc.value.field == "kind"
    assert stored(files) == [] and s.query(Attachment).count() == before


def test_a_traversal_file_name_is_only_a_label(att, files):
    a = add_attachment(att.session, att.users["cs_a"], att.reports["A"], "../../etc/plan.pdf", PDF)
    assert a.filename == "plan.pdf" and a.storage_key.endswith(".pdf") and ".." not in a.storage_key
    assert stored(files) == [a.storage_key]
    assert all(p.is_relative_to(files.root) for p in files.root.rglob("*"))
    with pytest.raises(ValidationError, match="needs a name"):
        add_attachment(att.session, att.users["cs_a"], att.reports["A"], "../..", PDF)


def test_files_written_for_a_rolled_back_transaction_are_deleted(att, files):
    s = att.session
    add_attachment(s, att.users["cs_a"], att.reports["A"], "plan.pdf", PDF)
    assert len(stored(files)) == 1
    s.rollback()
    assert stored(files) == []


def test_removing_keeps_the_row_and_the_trail_and_deletes_the_file_on_commit(att, files):
    s, report = att.session, att.reports["A"]
    a = add_attachment(s, att.users["cs_a"], report, "plan.pdf", PDF, now=NOW)
    s.commit()
    with pytest.raises(PermissionDenied, match="only the uploader"):
        remove_attachment(s, att.users["cs_a2"], a)  # a colleague without core.attachments.remove_any
    with pytest.raises(PermissionDenied):
        remove_attachment(s, att.users["cs_b"], a)  # another estate's
    remove_attachment(s, att.users["cs_a"], a, now=NOW + dt.timedelta(hours=1))
    assert (a.removed_at, a.removed_by_id) == (NOW + dt.timedelta(hours=1), att.users["cs_a"].id)
    assert stored(files) == [a.storage_key]  # until the removal is committed
    s.commit()
    assert stored(files) == []
    assert list_attachments(s, report) == [] and attachments(s, report) == []
    assert [x.id for x in list_attachments(s, report, removed=True)] == [a.id]
    notes = sorted(e.note for e in timeline(s, report) if e.action == "attachment")
    assert notes == [f"application/pdf, {len(PDF)} bytes", "removed"]
    with pytest.raises(NotFound):
        read(s, a)
    with pytest.raises(ValidationError, match="already removed"):
        remove_attachment(s, att.users["cs_a"], a)


def test_a_supervisor_may_remove_a_colleagues_file_and_a_rollback_keeps_it(att, files):
    s = att.session
    a = add_attachment(s, att.users["cs_a"], att.reports["A"], "plan.pdf", PDF)
    s.commit()
    remove_attachment(s, att.users["boss"], a)
    s.rollback()
    assert stored(files) == [a.storage_key] and s.get(Attachment, a.id).removed_at is None


def test_attachments_are_scoped_like_their_record(att, files):
    s = att.session
    a = add_attachment(s, att.users["cs_a"], att.reports["A"], "plan.pdf", PDF)
    assert get_attachment(s, att.users["cs_a"], a.id) is a
    assert get_attachment(s, att.users["boss"], a.id) is a
    for outsider in (att.users["cs_b"], None):
        with pytest.raises(NotFound):
            get_attachment(s, outsider, a.id)
    with pytest.raises(PermissionDenied):
        add_attachment(s, att.users["cs_b"], att.reports["A"], "plan.pdf", PDF)
    with pytest.raises(NotFound):
        get_attachment(s, att.users["cs_a"], "x")


def test_which_models_take_attachments(att):
    assert attachable_models(att.wuye) == {"atttest_reports": AtReport}
    assert "atttest_memos" in att.wuye.registry.models and AtMemo not in attachable_models(att.wuye).values()


def test_the_older_attach_keeps_bytes_in_the_database_and_reads_back(att, files):
    s, report = att.session, att.reports["A"]
    legacy = attach(s, att.users["cs_a"], report, "scan.pdf", PDF, content_type="application/pdf")
    assert (legacy.data, legacy.storage_key, legacy.removed_at) == (PDF, "", None)
    assert read(s, legacy) == PDF and stored(files) == []
    files.save("2025/01/old.pdf", PDF)
    on_disk = attach(s, att.users["cs_a"], report, "old.pdf", stored_path="2025/01/old.pdf", size=len(PDF))
    assert read(s, on_disk) == PDF
    assert [x.filename for x in list_attachments(s, report)] == ["scan.pdf", "old.pdf"]


def test_the_kit_lists_a_records_files_by_list_attachments(att, files):
    # ``core.attachments`` is the package (Python binds it on import), so the kit lists a record's
    # files as ``list_attachments``; ``attachments`` is not a kit name.
    import core
    import core.attachments

    a = add_attachment(att.session, att.users["cs_a"], att.reports["A"], "plan.pdf", PDF)
    assert [x.id for x in core.list_attachments(att.session, att.reports["A"])] == [a.id]
    assert core.attachments.add_attachment is add_attachment and "attachments" not in core.__all__
