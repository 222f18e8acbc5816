"""Printable documents (打印单据): receipts, notices, permits, agreements and statements, rendered once as an
HTML print view and as PDF (WeasyPrint, CJK fonts) through one mechanism any plugin uses (hook
``wuye_documents``). See docs/documents.md.
"""

from __future__ import annotations

PERMISSIONS: tuple = ()
