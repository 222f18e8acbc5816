"""Demo data of owner archives: an archive for each owned unit of the estate (the first ones with
every required document, the rest with some missing, so the completeness list has entries), a
confidential purchase contract, and the current census round with a few units checked."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import as_system, estate_today, owners_of
from core.models import Estate, Unit
from plugins.archive import archives, census
from plugins.archive.settings import archive_settings

COMPLETE_UNITS = 3  # the first units get every required document
MAX_UNITS = 12


def build_demo(session, estate: Estate) -> dict:
    """Add the archive demo records for ``estate``; returns counts."""
    with as_system(session):
        today = estate_today(session, estate)
        required = archive_settings(session)["required_documents"]
        made = filed = 0
        units = list(session.scalars(select(Unit).where(Unit.estate_id == estate.id).order_by(Unit.id)))
        for i, unit in enumerate(u for u in units if owners_of(session, u)):
            if i >= MAX_UNITS:
                break
            for archive in archives.ensure_archives(session, None, unit):
                made += 1
                wanted = required if i < COMPLETE_UNITS else required[: max(1, len(required) - 2 - i % 3)]
                for kind in wanted:
                    archives.file_document(session, None, archive, kind, dated_on=archive.opened_on, pages=2)
                    filed += 1
                if i == 0:
                    archives.file_document(session, None, archive, "purchase_contract", title="商品房买卖合同",
                                           dated_on=archive.opened_on - dt.timedelta(days=90), pages=24)
                    filed += 1
                archive.location = f"档案柜A-{i // 6 + 1}-{i % 6 + 1}"
        rnd = census.open_round(session, None, estate, today=today)
        for entry, (result, notes) in zip(rnd.entries, (("confirmed", ""), ("changed", "新增租户一名，电话已更新"),
                                                         ("unreachable", "两次上门无人")), strict=False):
            census.record_check(session, None, entry, result, notes)
        session.flush()
        return {"archives": made, "documents": filed, "census_entries": len(rnd.entries)}
