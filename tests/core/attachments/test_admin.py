"""The 附件 card on admin record pages and its routes: upload (CSRF, several files), thumbnails, files,
remove, and the access rule (screen permission, edit permission, estate scoping)."""

from __future__ import annotations

import io

from core.attachments import add_attachment, list_attachments
from tests.core.attachments.conftest import PDF, csrf_of, image_bytes, stored


def details(client, report):
    return client.get(f"/admin/atttest_reports/details/?id={report.id}")


def upload(client, report, *files, kind="photo", token=None):
    page = details(client, report).text
    data = {"csrf_token": csrf_of(page) if token is None else token, "kind": kind,
            "file": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(f"/admin/attachments/upload?table=atttest_reports&id={report.id}", data=data,
                       content_type="multipart/form-data")


def test_the_record_page_shows_the_card_and_uploads_several_files(att, browser, files):
    client = browser("cs_a")
    report = att.reports["A"]
    page = details(client, report).text
    assert 'id="attachments"' in page and "暂无附件" in page and 'enctype="multipart/form-data"' in page
    assert 'accept=".jpg,.jpeg,.png,.gif,.webp,.pdf"' in page and "每个不超过 5 MB" in page
    r = upload(client, report, ("门口.jpg", image_bytes((800, 600))), ("plan.pdf", PDF))
    assert r.status_code == 302 and r.location.endswith(f"/admin/atttest_reports/details/?id={report.id}#attachments")
    rows = list_attachments(att.session, report)
    assert [(a.filename, a.kind, a.uploaded_by_id) for a in rows] == [
        ("门口.jpg", "photo", att.users["cs_a"].id), ("plan.pdf", "photo", att.users["cs_a"].id)]
    assert len(stored(files)) == 3  # two files and one thumbnail
    page = details(client, report).text
    assert "门口.jpg" in page and "plan.pdf" in page and "照片" in page and "cs_a" in page
    assert f'src="/admin/attachments/{rows[0].id}/thumbnail"' in page
    assert f'/admin/attachments/{rows[1].id}/thumbnail' not in page  # a PDF has no thumbnail
    thumb = client.get(f"/admin/attachments/{rows[0].id}/thumbnail")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg" and thumb.data[:3] == b"\xff\xd8\xff"
    pdf = client.get(f"/admin/attachments/{rows[1].id}/content")
    assert pdf.status_code == 200 and pdf.data == PDF and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("inline") and pdf.headers["X-Content-Type-Options"] == "nosniff"


def test_the_card_is_in_english_for_an_english_user_and_absent_from_models_without_the_mixin(att, browser):
    att.users["cs_a"].locale = "en"
    att.session.commit()
    client = browser("cs_a")
    page = client.get(f"/admin/atttest_reports/details/?id={att.reports['A'].id}").text
    assert 'id="attachments"' in page and "No files attached yet." in page and ">Photo</option>" in page
    assert "Up to 10 files, each at most 5 MB: .jpg, .png, .gif, .webp, .pdf" in page and "暂无附件" not in page
    memo = client.get(f"/admin/atttest_memos/details/?id={att.memo_a.id}")
    assert memo.status_code == 200 and 'id="attachments"' not in memo.text


def test_a_bad_file_is_refused_with_the_reason_and_nothing_is_kept(att, browser, files):
    client = browser("cs_a")
    report = att.reports["A"]
    r = upload(client, report, ("ok.pdf", PDF), ("photo.jpg", PDF))
    assert r.status_code == 302
    page = client.get(r.location).text
    assert "photo.jpg 的扩展名是JPEG 图片，但内容实际是PDF 文档" in page and "本次未上传任何文件" in page
    assert list_attachments(att.session, report) == [] and stored(files) == []


def test_an_upload_without_the_csrf_token_is_refused(att, browser, files):
    client = browser("cs_a")
    r = upload(client, att.reports["A"], ("plan.pdf", PDF), token="")
    assert r.status_code == 400 and list_attachments(att.session, att.reports["A"]) == [] and stored(files) == []


def test_a_file_over_the_apps_1_mib_request_limit_can_be_uploaded(att, browser, files):
    client = browser("cs_a")
    big = PDF + b"%" * (3 * 1024 * 1024)
    r = upload(client, att.reports["A"], ("big.pdf", big))
    assert r.status_code == 302
    assert [a.size for a in list_attachments(att.session, att.reports["A"])] == [len(big)]


def test_another_estates_staff_get_404_and_staff_without_the_edit_permission_403(att, browser, files):
    report = att.reports["A"]
    a = add_attachment(att.session, att.users["cs_a"], report, "door.jpg", image_bytes((100, 100)))
    att.session.commit()
    outsider = browser("cs_b")
    for url in (f"/admin/attachments/{a.id}/content", f"/admin/attachments/{a.id}/thumbnail"):
        assert outsider.get(url).status_code == 404
    token = csrf_of(outsider.get("/admin/atttest_reports/").text)
    r = outsider.post(f"/admin/attachments/{a.id}/remove", data={"csrf_token": token})
    assert r.status_code == 404
    r = outsider.post(f"/admin/attachments/upload?table=atttest_reports&id={report.id}",
                      data={"csrf_token": token, "file": (io.BytesIO(PDF), "x.pdf")}, content_type="multipart/form-data")
    assert r.status_code == 404
    guard = browser("guard_a")  # may view reports, not edit them
    page = details(guard, report).text
    assert "door.jpg" in page and 'enctype="multipart/form-data"' not in page and "删除</button>" not in page
    assert guard.get(f"/admin/attachments/{a.id}/content").status_code == 200
    r = upload(guard, report, ("x.pdf", PDF), token=csrf_of(page))
    assert r.status_code == 403
    assert [x.filename for x in list_attachments(att.session, report)] == ["door.jpg"]
    assert browser("cs_a").get("/admin/attachments/999999/content").status_code == 404
    assert att_app_anonymous(browser).get(f"/admin/attachments/{a.id}/content").status_code == 302


def att_app_anonymous(browser):
    client = browser("cs_a")
    with client.session_transaction() as cookie:
        cookie.clear()
    return client


def test_remove_from_the_card(att, browser, files):
    report = att.reports["A"]
    a = add_attachment(att.session, att.users["cs_a"], report, "door.jpg", image_bytes((100, 100)))
    att.session.commit()
    colleague = browser("cs_a2")
    page = details(colleague, report).text
    assert f"/admin/attachments/{a.id}/remove" not in page  # not the uploader, no remove_any
    r = colleague.post(f"/admin/attachments/{a.id}/remove", data={"csrf_token": csrf_of(page)})
    assert r.status_code == 302 and "只有上传人" in colleague.get(r.location).text
    client = browser("cs_a")
    page = details(client, report).text
    assert f'action="/admin/attachments/{a.id}/remove"' in page and "确定删除 door.jpg？" in page
    r = client.post(f"/admin/attachments/{a.id}/remove", data={"csrf_token": csrf_of(page)})
    assert r.status_code == 302
    page = client.get(r.location).text
    assert "已删除 door.jpg" in page and "暂无附件" in page
    assert stored(files) == [] and client.get(f"/admin/attachments/{a.id}/content").status_code == 404


def test_the_edit_page_shows_the_card_outside_the_records_form(att, browser):
    page = browser("cs_a").get(f"/admin/atttest_reports/edit/?id={att.reports['A'].id}").text
    before = page[:page.index('id="attachments"')]
    assert 'name="title"' in before and before.count("<form") == before.count("</form>")
    assert 'class="form-inline wuye-attachment-upload"' in page
