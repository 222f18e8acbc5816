"""Access to archives (KF09 §4.5): permission, estate, manager approval for confidential parts, a
limited access window, and a log row for every opening, granted or refused (``access.py``)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core import PermissionDenied, ValidationError, WorkflowError, apply
from core.models.audit import AccessLog
from plugins.archive import access
from plugins.archive.models import AccessOutcome, ArchiveAccessEvent
from tests.plugins.archive.conftest import NOW


def _events(session, archive):
    return list(session.scalars(select(ArchiveAccessEvent).where(ArchiveAccessEvent.archive_id == archive.id)
                                .order_by(ArchiveAccessEvent.id)))


def test_opening_shows_normal_parts_logs_each_and_locks_the_confidential(session, archive, specialist):
    results = {r.key: r for r in access.open_archive(session, specialist, archive, now=NOW, reason="业主来电核对")}
    assert {k for k, r in results.items() if r.granted} == {"index", "ownership", "household", "documents"}
    assert not results["identity"].granted and not results["contracts"].granted
    assert results["identity"].section is None  # nothing of it is handed out
    household = results["household"].section.rows
    assert household[0][:2] == ["王芳", "配偶"]
    assert all("440301" not in str(cell) for r in results.values() if r.granted for row in r.section.rows
               for cell in row)
    events = _events(session, archive)
    assert [e.section for e in events] == ["index", "ownership", "household", "documents"]
    assert {(e.actor_id, e.outcome, e.reason) for e in events} == {(specialist.id, AccessOutcome.granted, "业主来电核对")}
    core_rows = list(session.scalars(select(AccessLog).where(AccessLog.record_table == "archive_archives")))
    assert len(core_rows) == 4 and {r.action for r in core_rows} == {"open"}


def test_a_confidential_part_without_approval_is_refused_and_logged(session, archive, specialist):
    result = access.open_section(session, specialist, archive, "identity", now=NOW)
    assert not result.granted and result.section is None
    assert "approval" in result.message.en and "批准" in result.message.zh
    [event] = _events(session, archive)
    assert (event.section, event.outcome, event.actor_id, event.at) == ("identity", AccessOutcome.refused,
                                                                        specialist.id, NOW)
    assert session.scalars(select(AccessLog.action).where(AccessLog.record_id == str(archive.id))).all() == ["refused"]
    with pytest.raises(access.AccessRefused):
        access.require_section(session, specialist, archive, "contracts", now=NOW)
    assert [e.outcome for e in _events(session, archive)] == [AccessOutcome.refused] * 2


def test_without_archive_view_or_in_another_estate_opening_is_refused_and_logged(session, archive, guard, stranger):
    [result] = access.open_archive(session, guard, archive, now=NOW)
    assert not result.granted and "archive.view" in result.message.en
    assert not access.open_section(session, stranger, archive, "index", now=NOW).granted
    assert [(e.actor_id, e.outcome) for e in _events(session, archive)] == [
        (guard.id, AccessOutcome.refused), (stranger.id, AccessOutcome.refused)]


def test_manager_approval_opens_the_part_for_the_requester_for_a_limited_time(session, archive, specialist, manager,
                                                                               clerk):
    req = access.request_access(session, specialist, archive, "identity", "核对产权人身份办理车位", now=NOW)
    assert req.status == "requested" and req.requester_id == specialist.id
    apply(session, req, "approve", manager)
    assert req.status == "approved" and req.decided_by_id == manager.id
    hours = (req.valid_until - req.decided_at).total_seconds() / 3600
    assert hours == 24  # the company setting's default
    opened_at = req.decided_at + dt.timedelta(hours=1)
    result = access.open_section(session, specialist, archive, "identity", now=opened_at)
    assert result.granted and result.event.request_id == req.id
    owner_row = result.section.rows[0]
    assert (owner_row[0], owner_row[2], owner_row[3]) == ("李一", "440301198001010000", "13800000000")
    # only the requester, only that part, only within the window
    assert not access.open_section(session, clerk, archive, "identity", now=opened_at).granted
    assert not access.open_section(session, specialist, archive, "contracts", now=opened_at).granted
    late = req.decided_at + dt.timedelta(hours=25)
    assert not access.open_section(session, specialist, archive, "identity", now=late).granted
    outcomes = [(e.section, e.outcome) for e in _events(session, archive)]
    assert outcomes == [("identity", AccessOutcome.granted), ("identity", AccessOutcome.refused),
                        ("contracts", AccessOutcome.refused), ("identity", AccessOutcome.refused)]


def test_nobody_approves_their_own_request_and_a_refusal_needs_a_reason(session, archive, manager, deputy,
                                                                         specialist):
    own = access.request_access(session, manager, archive, "contracts", "核对合同面积", now=NOW)
    with pytest.raises(WorkflowError):
        apply(session, own, "approve", manager)
    assert own.status == "requested"
    with pytest.raises(PermissionDenied):  # a specialist may ask, never decide
        apply(session, own, "approve", specialist)
    with pytest.raises(WorkflowError):
        apply(session, own, "refuse", deputy)
    apply(session, own, "refuse", deputy, comment="无需查看合同")
    assert own.status == "refused" and own.valid_until is None
    assert not access.open_section(session, manager, archive, "contracts", now=NOW).granted


def test_requests_name_a_confidential_part_and_a_reason(session, archive, specialist, guard):
    with pytest.raises(ValidationError) as err:
        access.request_access(session, specialist, archive, "identity", "  ")
    assert "reason" in err.value.errors
    with pytest.raises(ValidationError) as err:
        access.request_access(session, specialist, archive, "household", "看看")
    assert "section" in err.value.errors
    with pytest.raises(ValidationError):
        access.request_access(session, specialist, archive, "nonsense", "看看")
    with pytest.raises(PermissionDenied):
        access.request_access(session, guard, archive, "identity", "看看")


def test_the_access_log_is_for_managers_and_scoped(session, archive, specialist, manager, staff, other_estate):
    access.open_section(session, specialist, archive, "identity", now=NOW)
    with pytest.raises(PermissionDenied):
        access.access_events(session, specialist)
    [event] = access.access_events(session, manager, outcome="refused")
    assert event.actor_id == specialist.id and event.section == "identity"
    elsewhere = staff("office_manager", estates=[other_estate])
    assert access.access_events(session, elsewhere) == []
