"""The key custody agreement (钥匙托管协议) as a printable document."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from core.documents import render_html, render_pdf
from core.errors import PermissionDenied

NOW = dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.UTC)


def test_custody_agreement_reads_back(session, agreement, custodian, units, outsider):
    data = render_pdf(session, custodian, "keys.custody_agreement", agreement, lang="zh_CN", now=NOW)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "钥匙托管协议" in text and agreement.number in text and units[0].label in text
    assert "王一" in text and "维修" in text and "外出" in text and "盖章处" in text
    # printed again later (not the same print within 15 minutes): a reprint
    again = render_html(session, custodian, "keys.custody_agreement", agreement.id, lang="en",
                        now=NOW + dt.timedelta(hours=1))
    assert "Key custody agreement" in again and "Reprint" in again and agreement.number in again
    with pytest.raises(PermissionDenied):
        render_html(session, outsider, "keys.custody_agreement", agreement, now=NOW)
