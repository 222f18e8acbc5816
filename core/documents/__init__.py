"""Printable documents (打印单据): receipts, notices, permits, agreements and statements, rendered once as an
HTML print view and as PDF (WeasyPrint, CJK fonts) through one mechanism any plugin uses (hook
``wuye_documents``). See docs/documents.md.

* :class:`Document` describes one document of a plugin's model;
* :func:`render_html` / :func:`render_pdf` / :func:`render_batch_pdf` check the permission and the
  record's estate, log the issue (numbered, reprints keep the number) and render;
* :func:`amount_in_words` writes an amount in Chinese capital numerals (大写金额).
"""

from __future__ import annotations

from core.documents.issues import issue, issues_of
from core.documents.numerals import amount_in_words, integer_in_words, money
from core.documents.printing import (
    batch_records,
    clean_params,
    environment,
    get_document,
    html_to_pdf,
    load_record,
    render_batch_pdf,
    render_html,
    render_pdf,
)
from core.documents.registry import PAGE_SIZES, Document, check_documents, documents_for_model, documents_of

PERMISSIONS: tuple = ()

__all__ = ["PAGE_SIZES", "PERMISSIONS", "Document", "amount_in_words", "batch_records", "check_documents",
           "clean_params", "documents_for_model", "documents_of", "environment", "get_document", "html_to_pdf",
           "integer_in_words", "issue", "issues_of", "load_record", "money", "render_batch_pdf", "render_html",
           "render_pdf"]
