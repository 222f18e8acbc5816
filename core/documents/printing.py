"""Rendering a document: checks (permission, the record's estate), the issue log, the Jinja
template on the base print layout, and the PDF (WeasyPrint, CJK fonts, no network fetches)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2
from markupsafe import Markup
from sqlalchemy.orm import Session

from core.clock import estate_today, utcnow, zone_of
from core.context import is_system, wuye_of
from core.documents.issues import issue
from core.documents.numerals import amount_in_words, money
from core.documents.registry import Document, documents_of
from core.errors import NotFound, ValidationError
from core.models import Estate, StaffUser
from core.scoping import authorize, get_scoped
from core.text import Text

CORE_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
_ENV_KEY = "_wuye_document_env"


def get_document(session: Session, name: str) -> Document:
    """The document called ``name`` in the session's instance, or ``NotFound`` listing the known ones."""
    docs = documents_of(wuye_of(session))
    doc = docs.get(name)
    if doc is None:
        raise NotFound(Text(f"no document {name!r}; known: {', '.join(sorted(docs)) or 'none'}",
                            f"没有单据 {name!r}；可用：{'、'.join(sorted(docs)) or '无'}"), field="name")
    return doc


def environment(wuye) -> jinja2.Environment:
    """The Jinja environment of documents: core's templates, then each enabled plugin's ``templates/``."""
    env = wuye.__dict__.get(_ENV_KEY)
    if env is None:
        dirs = [str(CORE_TEMPLATES)]
        for name in wuye.order:
            folder = wuye.manifests[name].path / "templates"
            if folder.is_dir():
                dirs.append(str(folder))
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(dirs), autoescape=True,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        env.filters["money"] = money
        env.filters["capital"] = amount_in_words
        env.globals["amount_in_words"] = amount_in_words
        wuye.__dict__[_ENV_KEY] = env
    return env


def load_record(session: Session, actor, model: type, record_id: int):
    """The ``model`` row a document prints, within what ``actor`` may see (``NotFound`` otherwise)."""
    if is_system(session, actor):
        record = session.get(model, record_id)
        if record is None:
            raise NotFound(f"no {model.__name__} with id {record_id}")
        return record
    return get_scoped(session, actor, model, record_id)


def clean_params(doc: Document, params: dict | None) -> dict[str, str]:
    """The document's parameters from ``params`` (strings); unknown names are a ``ValidationError``."""
    params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    unknown = sorted(set(params) - set(doc.params))
    if unknown:
        known = ", ".join(doc.params) or "none"
        raise ValidationError({u[:64]: [Text(f"unknown parameter of {doc.name}; parameters: {known}",
                                             f"{doc.name} 没有此参数；可用参数：{known}")] for u in unknown})
    return {k: str(v) for k, v in params.items()}


def render_html(session: Session, actor, name: str, record, *, params: dict | None = None,
                lang: str | None = None, now: dt.datetime | None = None, issue_it: bool = True,
                toolbar: str = "") -> str:
    """The print view of document ``name`` for ``record`` (a loaded record or its id), as HTML.

    Checks the permission and the record's estate (``PermissionDenied`` / ``NotFound``), builds the
    plugin's context (bad ``params``: ``ValidationError``, nothing logged), then logs the issue
    (numbered the first time, a reprint after) unless ``issue_it`` is false. ``lang``: ``zh_CN``
    (default: the company's configured locale) or ``en``. ``toolbar``: HTML shown above the page on
    screen only (the admin's print and download buttons). Flushes, never commits.
    """
    doc = get_document(session, name)
    if isinstance(record, int) and not isinstance(record, bool):
        record = load_record(session, actor, doc.model, record)
    authorize(session, actor, doc.permission, record)
    if not doc.offered_for(record):
        raise NotFound(Text(f"{doc.label} does not apply to this {doc.model.__name__}",
                            f"此记录不能打印{doc.label_zh}"))
    values = clean_params(doc, params)
    context = doc.context(session, record, actor, **values)
    wuye = wuye_of(session)
    lang = lang or getattr(wuye.config, "locale", "zh_CN")
    estate_id = getattr(record, "estate_id", None)
    estate = session.get(Estate, estate_id) if estate_id is not None else None
    now = now or utcnow()
    row = None
    if issue_it:
        key = "&".join(f"{k}={values[k]}" for k in sorted(values))
        row = issue(session, actor, doc, record, key=key, estate_id=estate_id, now=now)
    issuer = session.get(StaffUser, row.issued_by_id) if row is not None and row.issued_by_id else None

    def t(en: str, zh: str = "") -> str:
        return (zh or en) if lang == "zh_CN" else en

    base = {
        "document": doc, "record": record, "lang": lang, "t": t, "company": wuye.config.company_name,
        "estate": estate, "title": t(doc.label, doc.label_zh), "page_size": doc.page_size,
        "number": row.number if row is not None else None, "copy_no": row.copy_no if row is not None else 0,
        "reprint": bool(row is not None and row.copy_no),
        "issued_on": estate_today(session, estate, now=now),
        "issued_at": now.astimezone(zone_of(estate)).strftime("%Y-%m-%d %H:%M"),
        "issued_by": (issuer.full_name or issuer.username) if issuer is not None else "",
        "signatures": [], "show_stamp": True, "toolbar": Markup(toolbar),
    }
    env = environment(wuye)
    template = env.from_string(doc.template) if "{" in doc.template else env.get_template(doc.template)
    return template.render({**base, **context})


def _fetcher():
    """A URL fetcher that serves only inline ``data:`` URLs: a document never reaches the network."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 68: a function fetcher
        from weasyprint import default_url_fetcher

        def fetch(url, timeout=10, ssl_context=None):
            if not url.startswith("data:"):
                raise ValueError(f"documents load no external resources ({url[:80]})")
            return default_url_fetcher(url)

        return fetch
    return URLFetcher(allowed_protocols={"data"}, timeout=1)


def html_to_pdf(htmls: Iterable[str], progress: Callable[[], None] | None = None) -> bytes:
    """One PDF of the pages of every HTML document in ``htmls`` (each starts on a new page)."""
    from weasyprint import HTML

    fetcher, rendered = _fetcher(), []
    for html in htmls:
        rendered.append(HTML(string=html, base_url=str(CORE_TEMPLATES), url_fetcher=fetcher).render())
        if progress is not None:
            progress()
    if not rendered:
        raise ValidationError(Text("nothing to print: no records were selected", "没有可打印的记录"))
    pages = [page for doc in rendered for page in doc.pages]
    return rendered[0].copy(pages).write_pdf()


def render_pdf(session: Session, actor, name: str, record, *, params: dict | None = None,
               lang: str | None = None, now: dt.datetime | None = None) -> bytes:
    """Document ``name`` for ``record`` as PDF bytes (same checks and issue log as :func:`render_html`)."""
    return html_to_pdf([render_html(session, actor, name, record, params=params, lang=lang, now=now)])


def render_batch_pdf(session: Session, actor, name: str, records: Iterable, *, params: dict | None = None,
                     lang: str | None = None, now: dt.datetime | None = None,
                     progress: Callable[[], None] | None = None) -> bytes:
    """Document ``name`` for each of ``records`` as one PDF (a notice per unit of a building)."""
    htmls = (render_html(session, actor, name, r, params=params, lang=lang, now=now) for r in records)
    return html_to_pdf(htmls, progress)


def batch_records(session: Session, actor, name: str, building_id: int, *, params: dict | None = None) -> list:
    """The records document ``name`` prints for one building (its ``batch`` function), within scope."""
    from core.models import Building

    doc = get_document(session, name)
    if doc.batch is None:
        raise ValidationError(Text(f"{doc.name} has no batch printing per building; print records one by one",
                                   f"{doc.label_zh}不支持按楼栋批量打印，请逐条打印"), field="building")
    building = load_record(session, actor, Building, building_id)
    authorize(session, actor, doc.permission, building.estate_id)
    return list(doc.batch(session, building, **clean_params(doc, params)))
