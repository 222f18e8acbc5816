"""``wuye documents print``: the payment notices of one building for a period as one PDF, with a
progress bar, logged as issues of the system; bad input is a clear error and writes nothing."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from pypdf import PdfReader
from sqlalchemy import func, select

from core.cli import State
from core.cli.documents import documents
from core.clock import utcnow
from core.models import Building, Unit
from core.models.document import DocumentIssue


class BootedState(State):
    def __init__(self, wuye):
        super().__init__(None)
        self._wuye = wuye


def billed_building(wuye) -> dict:
    """Estate CC (units 101 and 102 in building 1, 201 in building 2) billed 2026-12 by hand."""
    from plugins.billing.models import ChargeLine, FeeItem
    from tests.plugins.billing.helpers import committed_estate

    ids = committed_estate(wuye)
    with wuye.session() as s:
        fee = s.scalar(select(FeeItem).where(FeeItem.code == "pf"))
        for unit_id, fen in zip(ids["units"], (23500, 21002, 28329), strict=True):
            unit = s.get(Unit, unit_id)
            s.add(ChargeLine(estate_id=unit.estate_id, unit_id=unit.id, fee_item_id=fee.id, period="2026-12",
                             origin="run", amount_fen=fen, due_on=dt.date(2026, 12, 15),
                             posted_on=dt.date(2026, 12, 1), source=f"test:cli:{unit.id}"))
        building = s.get(Unit, ids["units"][0]).building_id
    return {**ids, "building": building}


def test_batch_notices_of_a_building_as_one_pdf(committed, tmp_path):
    wuye = committed
    ids = billed_building(wuye)
    out = tmp_path / "notices.pdf"
    runner = CliRunner()
    result = runner.invoke(documents, ["print", "billing.payment_notice", "--building", str(ids["building"]),
                                       "--period", "2026-12", "--lang", "zh_CN", "--out", str(out)],
                           obj=BootedState(wuye), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "billing.payment_notice x2" in result.output  # the progress bar's label
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages]
    assert len(pages) == 2  # units 101 and 102 of building 1, not 201 of building 2
    assert "101" in pages[0] and "235.00" in pages[0] and "贰佰叁拾伍元整" in pages[0].replace(" ", "")
    assert "102" in pages[1] and "210.02" in pages[1]
    with wuye.session() as s:
        rows = s.execute(select(DocumentIssue.number, DocumentIssue.issued_by_id, DocumentIssue.params_key)
                         .order_by(DocumentIssue.id)).all()
    year = utcnow().astimezone(ZoneInfo("Asia/Shanghai")).year  # numbered in the year it is printed (now)
    assert [r.number for r in rows] == [f"PN-{year}-000001", f"PN-{year}-000002"]
    assert {(r.issued_by_id, r.params_key) for r in rows} == {(None, "period=2026-12")}


def test_bad_input_is_refused_and_nothing_written(committed, tmp_path):
    wuye = committed
    ids = billed_building(wuye)
    out = tmp_path / "x.pdf"
    runner = CliRunner()
    both = runner.invoke(documents, ["print", "billing.payment_notice", "--out", str(out)], obj=BootedState(wuye))
    assert both.exit_code != 0 and "--record ID" in both.output
    bad = runner.invoke(documents, ["print", "billing.payment_notice", "--building", str(ids["building"]),
                                    "--period", "2026-13", "--out", str(out)], obj=BootedState(wuye))
    assert bad.exit_code != 0 and "YYYY-MM" in str(bad.exception)
    assert not out.exists()
    with wuye.session() as s:
        assert s.scalar(select(func.count(DocumentIssue.id))) == 0
        assert s.scalar(select(func.count(Building.id))) == 2
