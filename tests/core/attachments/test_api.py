"""Attachments in the API: list, upload (multipart), metadata, content, thumbnail, delete; 422 naming
``file`` with nothing stored; scoped like the record (another estate's is 404)."""

from __future__ import annotations

import io

from core.attachments import add_attachment, list_attachments
from tests.core.attachments.conftest import PDF, image_bytes, stored


def post_files(client, url, *files, kind=""):
    data = {"file": [(io.BytesIO(content), name) for name, content in files]}
    if kind:
        data["kind"] = kind
    return client.post(url, data=data, content_type="multipart/form-data")


def test_upload_list_read_and_delete_through_the_record_resource(att, api, files):
    client = api("cs_a")
    report = att.reports["A"]
    base = f"/api/v1/atttest/reports/{report.id}/attachments"
    r = post_files(client, base, ("现场.png", image_bytes((640, 320), "PNG")), ("plan.pdf", PDF), kind="photo")
    assert r.status_code == 201, r.json
    items = r.json["items"]
    assert [(i["filename"], i["kind"], i["content_type"], i["has_thumbnail"]) for i in items] == [
        ("现场.png", "photo", "image/png", True), ("plan.pdf", "photo", "application/pdf", False)]
    assert (items[0]["width"], items[0]["height"], items[0]["record_id"]) == (640, 320, str(report.id))
    assert [i["id"] for i in client.get(base).json["items"]] == [i["id"] for i in items]
    same = client.get(f"/api/v1/attachments?record_table=atttest_reports&record_id={report.id}").json["items"]
    assert [i["id"] for i in same] == [i["id"] for i in items]
    one = client.get(f"/api/v1/attachments/{items[1]['id']}")
    assert one.status_code == 200 and one.json["sha256"] and one.json["size"] == len(PDF)
    content = client.get(f"/api/v1/attachments/{items[1]['id']}/content")
    assert content.data == PDF and content.headers["Content-Disposition"].startswith("attachment")
    thumb = client.get(f"/api/v1/attachments/{items[0]['id']}/thumbnail")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert client.get(f"/api/v1/attachments/{items[1]['id']}/thumbnail").status_code == 404
    gone = client.delete(f"/api/v1/attachments/{items[1]['id']}")
    assert gone.status_code == 200 and gone.json["removed_at"] and gone.json["removed_by_id"] == att.users["cs_a"].id
    assert client.get(f"/api/v1/attachments/{items[1]['id']}").status_code == 404
    assert [i["filename"] for i in client.get(base).json["items"]] == ["现场.png"]
    assert len(stored(files)) == 2  # the PNG and its thumbnail; the PDF was deleted


def test_upload_by_table_and_a_refused_file_is_422_naming_file_with_nothing_stored(att, api, files):
    client = api("cs_a")
    report = att.reports["A"]
    url = f"/api/v1/attachments?record_table=atttest_reports&record_id={report.id}"
    r = post_files(client, url, ("ok.pdf", PDF), ("photo.jpg", PDF))
    assert r.status_code == 422
    assert r.json["error"]["field"] == "file" and "its content is a PDF document" in r.json["error"]["message"]
    r = post_files(client, url, ("virus.exe", b"MZ"))
    assert r.status_code == 422 and "allowed types: .jpg, .png, .gif, .webp, .pdf" in r.json["error"]["message"]
    r = post_files(client, url, ("big.pdf", PDF + b"%" * (5 * 1024 * 1024)))
    assert r.status_code == 422 and "files may be at most 5 MB" in r.json["error"]["message"]
    r = client.post(url, data={"kind": "photo"}, content_type="multipart/form-data")
    assert r.status_code == 422 and r.json["error"]["field"] == "file" and "multipart/form-data" in r.json["error"]["message"]
    r = post_files(client, url, ("plan.pdf", PDF), kind="contract")
    assert r.status_code == 422 and r.json["error"]["field"] == "kind"
    assert list_attachments(att.session, report) == [] and stored(files) == []
    r = post_files(client, "/api/v1/attachments?record_table=atttest_memos&record_id=1", ("plan.pdf", PDF))
    assert r.status_code == 422 and r.json["error"]["field"] == "record_table"
    assert "use one of: atttest_reports" in r.json["error"]["message"]
    r = client.get("/api/v1/attachments?record_table=atttest_reports&record_id=abc")
    assert r.status_code == 422 and r.json["error"]["field"] == "record_id"
    r = post_files(client, url, ("plan.pdf", PDF))
    assert r.status_code == 201 and len(stored(files)) == 1


def test_another_estates_records_and_files_are_404_and_viewers_cannot_change_them(att, api, files):
    report = att.reports["A"]
    a = add_attachment(att.session, att.users["cs_a"], report, "door.jpg", image_bytes((100, 100)))
    att.session.commit()
    outsider = api("cs_b")
    for url in (f"/api/v1/attachments/{a.id}", f"/api/v1/attachments/{a.id}/content",
                f"/api/v1/attachments/{a.id}/thumbnail", f"/api/v1/atttest/reports/{report.id}/attachments",
                f"/api/v1/attachments?record_table=atttest_reports&record_id={report.id}"):
        assert outsider.get(url).status_code == 404, url
    assert outsider.delete(f"/api/v1/attachments/{a.id}").status_code == 404
    assert post_files(outsider, f"/api/v1/atttest/reports/{report.id}/attachments", ("x.pdf", PDF)).status_code == 404
    guard = api("guard_a")  # may view reports, not edit them
    assert guard.get(f"/api/v1/attachments/{a.id}/content").status_code == 200
    assert guard.delete(f"/api/v1/attachments/{a.id}").status_code == 403
    assert post_files(guard, f"/api/v1/atttest/reports/{report.id}/attachments", ("x.pdf", PDF)).status_code == 403
    assert api("cs_a2").delete(f"/api/v1/attachments/{a.id}").status_code == 403  # not the uploader
    assert api("boss").delete(f"/api/v1/attachments/{a.id}").status_code == 200  # remove_any
    assert [x.filename for x in list_attachments(att.session, report, removed=True)] == ["door.jpg"]
    memo = api("cs_a").get(f"/api/v1/atttest/memos/{att.memo_a.id}/attachments")
    assert memo.status_code == 404  # memos take no attachments
    assert att_app_client(api).get(f"/api/v1/attachments/{a.id}").status_code == 401


def att_app_client(api):
    client = api("cs_a")
    client.environ_base.pop("HTTP_AUTHORIZATION")
    return client


def test_a_browser_session_needs_the_csrf_header_to_upload(att, att_app, files):
    from core.web.context import session_stamp

    client = att_app.test_client()
    user = att.users["cs_a"]
    with client.session_transaction() as cookie:
        cookie["uid"], cookie["pwv"] = user.id, session_stamp(user)
    r = post_files(client, f"/api/v1/atttest/reports/{att.reports['A'].id}/attachments", ("x.pdf", PDF))
    assert r.status_code == 400 and "X-CSRFToken" in r.json["error"]["message"] and stored(files) == []


def test_the_openapi_operations_list_the_attachable_tables(att):
    from apispec import APISpec

    from core.web.api.attachments import document_paths

    spec = APISpec(title="t", version="1", openapi_version="3.0.3")
    error = {"description": "error"}
    document_paths(spec, {k: error for k in ("400", "401", "403", "404", "409", "413", "422")}, [{"bearerAuth": []}],
                   {"name": "ident", "in": "path", "required": True, "schema": {"type": "integer"}}, att.wuye,
                   resources(att.wuye))
    doc = spec.to_dict()
    assert set(doc["paths"]) == {"/api/v1/attachments", "/api/v1/attachments/{ident}",
                                 "/api/v1/attachments/{ident}/content", "/api/v1/attachments/{ident}/thumbnail",
                                 "/api/v1/atttest/reports/{ident}/attachments"}  # not the memos: no mixin
    assert doc["paths"]["/api/v1/attachments"]["get"]["description"] == "Tables that take attachments: atttest_reports."
    assert "multipart/form-data" in doc["paths"]["/api/v1/attachments"]["post"]["requestBody"]["content"]
    assert "delete" in doc["paths"]["/api/v1/attachments/{ident}"]


def resources(wuye):
    """``(plugin, ApiResourceSpec, sensitive)`` as build_openapi has them."""
    return [(plugin, spec, ()) for plugin, items in wuye.call_each("wuye_api_resources") for spec in items]
