"""Renovation's printable documents: the permit (装修施工许可证) once issued, the worker pass (出入证)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core.documents import issues_of, render_html, render_pdf
from core.errors import NotFound, PermissionDenied
from plugins.renovation.models import RenovationWorkerPass

NOW = dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.UTC)


def test_permit_prints_once_issued_with_its_number(reno):
    app = reno.apply()
    cs = reno.actors["cs_specialist"]
    with pytest.raises(NotFound):  # no permit yet
        render_html(reno.session, cs, "renovation.permit", app, now=NOW)
    reno.drive(app, "permit_issued")
    html = render_html(reno.session, cs, "renovation.permit", app, lang="zh_CN", now=NOW)
    assert "装修施工许可证" in html and app.permit_no in html and app.number in html
    assert "金螳螂家装工程有限公司" in html and "周建国" in html and "孙立" in html and "电工" in html
    assert "08:00-12:00" in html  # the default working hours
    assert [i.number for i in issues_of(reno.session, "renovation.permit", app)] == [app.permit_no]
    with pytest.raises(PermissionDenied):  # a guard does not issue permits
        render_html(reno.session, reno.actors["guard"], "renovation.permit", app, now=NOW)


def test_worker_pass_pdf_masks_the_id(reno):
    app = reno.drive(reno.apply(), "permit_issued")
    card = reno.session.scalar(select(RenovationWorkerPass).where(RenovationWorkerPass.application_id == app.id)
                               .order_by(RenovationWorkerPass.id).limit(1))
    assert card is not None
    data = render_pdf(reno.session, reno.actors["cs_specialist"], "renovation.worker_pass", card, lang="zh_CN",
                      now=NOW)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "装修人员出入证" in text and card.number in text and "孙立" in text
    assert card.id_number not in text and card.id_number[-4:] in text
