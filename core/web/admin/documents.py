"""Admin pages of core documents: the print view and the PDF of each document of a record, and the
print buttons on record pages.

* ``/admin/documents/<name>/<id>/``: the HTML print view (打印 calls ``window.print()``, 下载PDF);
* ``/admin/documents/<name>/<id>.pdf``: the PDF (``?download=1``: as an attachment).

Extra parameters (a notice's ``period``) come from the query string. Without the document's
permission: 403; a record outside the user's estates: 404 (the page never says which).
"""

from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for
from flask_admin import BaseView, expose
from markupsafe import Markup, escape

from core.documents import documents_for_model, get_document, load_record, render_html, render_pdf
from core.errors import NotFound, PermissionDenied, ValidationError
from core.security.grants import has_permission
from core.web.admin.pages import StaffPage
from core.web.context import actor, db, wuye
from core.web.i18n import Bilingual, current_locale, pick


def _params() -> dict:
    return {k: v for k, v in request.args.items() if k != "download"}


class DocumentsView(StaffPage, BaseView):
    """打印单据: the print view and PDF of one document of one record."""

    def __init__(self):
        super().__init__(name=Bilingual("Documents", "打印单据"), endpoint="documents", url="/admin/documents")

    def is_visible(self) -> bool:
        return False

    @expose("/")
    def index(self):
        return redirect(url_for("admin.index"))

    def _load(self, name: str, ident: int):
        session, user = db(), actor()
        try:
            doc = get_document(session, name)
        except NotFound:
            abort(404)
        if not has_permission(session, user, doc.permission):
            abort(403)
        try:
            return doc, load_record(session, user, doc.model, ident)
        except NotFound:
            abort(404)

    def _render(self, make):
        session = db()
        try:
            out = make()
        except NotFound:
            session.rollback()
            abort(404)
        except PermissionDenied:
            session.rollback()
            abort(403)
        except ValidationError as exc:
            session.rollback()
            return render_template("wuye/error.html", status=422, message=str(exc)), 422
        session.commit()  # the issue log (number, reprint count) of what was printed
        return out

    # the URL's document name is ``doc``: Flask-Admin's _handle_view takes ``name`` itself
    @expose("/<doc>/<int:ident>/")
    def print_view(self, doc: str, ident: int):
        name = doc
        _doc, record = self._load(name, ident)
        pdf_url = url_for(".pdf", doc=name, ident=ident, download=1, **_params())
        toolbar = Markup('<div class="toolbar"><button type="button" id="print-button" onclick="window.print()">'
                         '{}</button><a id="pdf-link" href="{}">{}</a><a href="javascript:history.back()">{}</a>'
                         '</div>').format(pick("Print", "打印"), pdf_url, pick("Download PDF", "下载PDF"),
                                          pick("Back", "返回"))
        return self._render(lambda: render_html(db(), actor(), name, record, params=_params(), lang=current_locale(),
                                                toolbar=toolbar))

    @expose("/<doc>/<int:ident>.pdf")
    def pdf(self, doc: str, ident: int):
        name = doc
        _doc, record = self._load(name, ident)

        def make():
            data = render_pdf(db(), actor(), name, record, params=_params(), lang=current_locale())
            how = "attachment" if request.args.get("download") else "inline"
            return Response(data, mimetype="application/pdf",
                            headers={"Content-Disposition": f'{how}; filename="{name}-{ident}.pdf"'})

        return self._render(make)


def add_views(admin, app) -> None:
    """Add this feature's pages to the admin (called once by build_admin)."""
    admin.add_view(DocumentsView())


def record_section(view, record):
    """Print buttons for the documents of ``record`` the user may print (every generated record page)."""
    session, user = db(), actor()
    if user is None or getattr(record, "id", None) is None:
        return None
    buttons = []
    for doc, resolve in documents_for_model(wuye(), type(record)):
        if not has_permission(session, user, doc.permission):
            continue
        target = resolve(session, record) if resolve is not None else record
        if target is None or not doc.offered_for(target):
            continue
        url = url_for("documents.print_view", doc=doc.name, ident=target.id)
        buttons.append(Markup('<a class="btn btn-sm btn-outline-secondary mr-1 mb-1" target="_blank" '
                              'data-document="{}" href="{}">{} {}</a>').format(
            doc.name, url, pick("Print", "打印"), pick(doc.label, doc.label_zh)))
    if not buttons:
        return None
    title = escape(pick("Print", "打印单据"))
    return Markup('<div class="card mb-3" id="record-documents"><div class="card-body py-2"><strong class="mr-2">'
                  f'{title}</strong>') + Markup("").join(buttons) + Markup("</div></div>")
