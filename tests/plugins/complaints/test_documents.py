"""The complaint handling notice (业主投诉处理通知单) as a printable document."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from core.documents import render_html, render_pdf
from core.errors import PermissionDenied

NOW = dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.UTC)


def test_the_notice_reads_back(session, register, walk, supervisor, units, staff, other_estate):
    c = walk(register(), "acknowledge")
    data = render_pdf(session, supervisor, "complaints.handling_notice", c, lang="zh_CN", now=NOW)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "业主投诉处理通知单" in text and c.number in text and units[0].label in text
    assert "工程部" in text and "维修" in text and "楼道灯不亮" in text
    html = render_html(session, supervisor, "complaints.handling_notice", c.id, lang="en", now=NOW)
    assert "Complaint handling notice" in html and "Engineering" in html
    with pytest.raises(PermissionDenied):
        render_html(session, staff("cs_supervisor", estates=[other_estate]), "complaints.handling_notice", c, now=NOW)
