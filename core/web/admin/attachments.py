"""Attachments on admin record pages: the 附件 card and its routes under ``/admin/attachments/``.

Every details and edit page of a model with the :class:`~core.attachments.Attachable` mixin shows a
card with the images' thumbnails, the file list (name, kind, size, who, when), an upload form
(several files at once, a kind, CSRF) and a remove button per file (confirmed). The routes:

* ``GET /admin/attachments/<id>/content`` and ``/thumbnail``: the file, the thumbnail;
* ``POST /admin/attachments/upload?table=<table>&id=<record id>``: files in ``file``, ``kind``;
* ``POST /admin/attachments/<id>/remove``.

Access (``core.web.attachments_specs``): the record's screen permission in the record's estate to
see, its edit permission to upload or remove; another estate's file is 404.
"""

from __future__ import annotations

import zoneinfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_admin import BaseView, expose
from markupsafe import Markup
from sqlalchemy import select

from core.attachments import (
    TYPES,
    add_attachment,
    attachable_models,
    get_attachment,
    is_attachable,
    kinds_of,
    limits_for,
    list_attachments,
    may_remove,
    read,
    read_thumbnail,
    remove_attachment,
    settings_of,
)
from core.attachments.checks import size_text
from core.errors import NotFound, WuyeError
from core.models import StaffUser
from core.security.grants import has_permission
from core.web.admin.pages import StaffPage
from core.web.attachments_specs import access_rules
from core.web.context import actor, db, wuye
from core.web.i18n import Bilingual, pick
from core.web.labels import message_text

MAX_FILES = 10  # per upload form
INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"}


def request_limit(instance) -> int:
    """Bytes an upload request may carry: ``MAX_FILES`` files of the largest allowed size, plus the form."""
    return settings_of(instance)["max_size_mb"] * 1024 * 1024 * MAX_FILES + 1024 * 1024


def file_response(data: bytes, content_type: str, filename: str, *, download: bool = False):
    """The file as a response: images and PDFs shown in the browser, anything else downloaded; never
    sniffed (``nosniff``) and sandboxed, so a file can never run as a page of this site."""
    from flask import Response
    from werkzeug.http import dump_options_header

    inline = content_type.split(";")[0] in INLINE_TYPES and not download
    response = Response(data, mimetype=content_type.split(";")[0], content_type=content_type)
    response.headers["Content-Disposition"] = dump_options_header(
        "inline" if inline else "attachment", {"filename*": f"UTF-8''{_quote(filename)}"})
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    if not content_type.startswith("application/pdf"):
        response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def _local(at, view) -> str:
    if at is None:
        return ""
    tz = view._tz() if view is not None and hasattr(view, "_tz") else _tz()
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _tz():
    try:
        return zoneinfo.ZoneInfo(wuye().config.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        import datetime as dt

        return dt.UTC


def _accept(allowed) -> str:
    return ",".join(f".{ext}" for n in allowed for ext in TYPES[n].extensions)


def error_text(exc: WuyeError) -> str:
    """The message of ``exc`` in the user's language (the bilingual texts of a ValidationError's fields)."""
    errors = getattr(exc, "errors", None)
    if isinstance(errors, dict) and errors:
        return " ".join(message_text(m) for msgs in errors.values() for m in (msgs if isinstance(msgs, list) else [msgs]))
    return message_text(exc.message)


def card_context(view, record) -> dict | None:
    """What the card shows for ``record`` on ``view``'s page, or None when its model takes no files."""
    if not is_attachable(record):
        return None
    session, user = db(), actor()
    rule = access_rules().get(type(record))
    edit = rule.edit if rule else getattr(getattr(view, "spec", None), "edit_permission", None)
    may_edit = bool(edit) and user is not None and has_permission(session, user, edit)
    files = list_attachments(session, record)
    names = {}
    ids = {a.uploaded_by_id for a in files if a.uploaded_by_id}
    if ids:
        names = {u.id: str(u) for u in session.scalars(select(StaffUser).where(StaffUser.id.in_(ids)))}
    kinds = kinds_of(type(record))
    limits = limits_for(session, type(record))
    rows = [{"id": a.id, "filename": a.filename, "size": size_text(a.size),
             "kind": str(kinds[a.kind]) if a.kind in kinds else a.kind, "by": names.get(a.uploaded_by_id, ""),
             "at": _local(a.uploaded_at, view), "thumbnail": bool(a.thumbnail_key),
             "content_url": url_for("attachments.content", ident=a.id),
             "thumbnail_url": url_for("attachments.thumbnail", ident=a.id),
             "remove_url": url_for("attachments.remove", ident=a.id),
             "may_remove": may_edit and may_remove(session, user, a),
             "confirm": pick(f"Remove {a.filename}?", f"确定删除 {a.filename}？")} for a in files]
    allowed_text = ", ".join(f".{TYPES[n].extensions[0]}" for n in limits["allowed"])
    return {
        "rows": rows, "images": [r for r in rows if r["thumbnail"]], "may_edit": may_edit,
        "kinds": [(k, str(v)) for k, v in kinds.items()],
        "upload_url": url_for("attachments.upload", table=type(record).__tablename__, id=record.id),
        "accept": _accept(limits["allowed"]),
        "t": {"title": pick("Attachments", "附件"), "none": pick("No files attached yet.", "暂无附件。"),
              "name": pick("File", "文件"), "kind": pick("Kind", "类别"), "size": pick("Size", "大小"),
              "by": pick("Uploaded by", "上传人"), "at": pick("Uploaded at", "上传时间"),
              "remove": pick("Remove", "删除"), "upload": pick("Upload", "上传"),
              "choose": pick("Files", "选择文件"), "no_kind": pick("(kind)", "（类别）"),
              "limits": pick(f"Up to {MAX_FILES} files, each at most {size_text(limits['max_bytes'])}: {allowed_text}",
                             f"一次最多 {MAX_FILES} 个文件，每个不超过 {size_text(limits['max_bytes'])}：{allowed_text}")},
    }


def record_section(view, record):
    """The 附件 card on the record page of an attachable model (details and edit), else None."""
    ctx = card_context(view, record)
    if ctx is None:
        return None
    return Markup(render_template("wuye/attachments/_card.html", **ctx))


class AttachmentsView(StaffPage, BaseView):
    """The routes behind the card: files, thumbnails, upload and remove (no menu entry)."""

    def __init__(self):
        super().__init__(name=Bilingual("Attachments", "附件"), endpoint="attachments", url="/admin/attachments")

    def is_visible(self) -> bool:
        return False

    def _visible(self, ident: int):
        """The attachment and its access rule if the user may see it: 404 outside their estates or for a
        model without a screen, 403 without the screen's permission."""
        session, user = db(), actor()
        try:
            att = get_attachment(session, user, ident)
        except NotFound:
            abort(404)
        model = attachable_models(wuye()).get(att.record_table)
        rule = access_rules().get(model) if model is not None else None
        if rule is None:
            abort(404)
        if not has_permission(session, user, rule.view):
            abort(403)
        return att, rule

    def _back(self, rule, record_id) -> str:
        if rule is not None and rule.endpoint:
            return url_for(f"{rule.endpoint}.details_view", id=record_id)
        return url_for("admin.index")

    @expose("/")
    def index(self):
        return redirect(url_for("admin.index"))  # files are reached from their record's page

    @expose("/<int:ident>/content")
    def content(self, ident: int):
        att, _rule = self._visible(ident)
        try:
            data = read(db(), att)
        except NotFound:
            abort(404)
        return file_response(data, att.content_type, att.filename, download=bool(request.args.get("download")))

    @expose("/<int:ident>/thumbnail")
    def thumbnail(self, ident: int):
        att, _rule = self._visible(ident)
        try:
            data, content_type = read_thumbnail(db(), att)
        except NotFound:
            abort(404)
        return file_response(data, content_type, f"thumbnail-{att.id}")

    @expose("/upload", methods=("POST",))
    def upload(self):
        session, user = db(), actor()
        model = attachable_models(wuye()).get(request.args.get("table", ""))
        rule = access_rules().get(model) if model is not None else None
        if rule is None:
            abort(404)
        from core.scoping import get_scoped

        try:
            ident = int(request.args.get("id", ""))
            if not 0 < ident < 2**31:
                raise NotFound("no such record")
            record = get_scoped(session, user, model, ident)
        except (NotFound, ValueError):
            abort(404)
        if not (has_permission(session, user, rule.view) and rule.edit and has_permission(session, user, rule.edit)):
            abort(403)
        back = self._back(rule, record.id)
        files = [f for f in request.files.getlist("file") if f and f.filename]
        if not files:
            flash(pick("Choose at least one file to upload.", "请选择要上传的文件。"), "error")
            return redirect(back + "#attachments")
        if len(files) > MAX_FILES:
            flash(pick(f"At most {MAX_FILES} files at once; nothing was uploaded.",
                       f"一次最多上传 {MAX_FILES} 个文件，本次未上传任何文件。"), "error")
            return redirect(back + "#attachments")
        kind = request.form.get("kind", "")
        try:
            for f in files:
                add_attachment(session, user, record, f.filename, f.read(), kind=kind, permission=rule.edit)
            session.commit()
        except WuyeError as exc:
            session.rollback()  # every file of the form or none; files already stored are deleted
            flash(error_text(exc) + " " + pick("Nothing was uploaded.", "本次未上传任何文件。"), "error")
            return redirect(back + "#attachments")
        flash(pick(f"{len(files)} file(s) attached.", f"已上传 {len(files)} 个文件。"), "success")
        return redirect(back + "#attachments")

    @expose("/<int:ident>/remove", methods=("POST",))
    def remove(self, ident: int):
        session, user = db(), actor()
        att, rule = self._visible(ident)
        back = self._back(rule, att.record_id)
        if not (rule.edit and has_permission(session, user, rule.edit)):
            abort(403)
        try:
            remove_attachment(session, user, att, permission=rule.edit)
            session.commit()
        except WuyeError as exc:
            session.rollback()
            flash(error_text(exc), "error")
            return redirect(back + "#attachments")
        flash(pick(f"{att.filename} was removed.", f"已删除 {att.filename}。"), "success")
        return redirect(back + "#attachments")


UPLOAD_ENDPOINTS = {"attachments.upload", "api.attachments_api.upload", "api.attachments_api.upload_for"}


def add_views(admin, app) -> None:
    """Register the attachment routes; let upload requests be larger than the app's 1 MiB limit."""
    admin.add_view(AttachmentsView())

    @app.url_value_preprocessor
    def _upload_limit(endpoint, values):
        # Runs before the CSRF check reads the form, so the larger limit applies to that read too.
        if endpoint in UPLOAD_ENDPOINTS:
            request.max_content_length = request_limit(app.extensions["wuye"])
