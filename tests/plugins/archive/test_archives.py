"""Owner archives: registering, filing, closing, completeness and retention (``archives.py``)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core import Conflict, PermissionDenied, ValidationError
from core.models import Party
from plugins.archive import archives
from plugins.archive.models import DocumentType, OwnerArchive, Sensitivity
from tests.plugins.archive.conftest import DAY

REQUIRED = ["owner_covenant", "household_form", "handover_form"]


def test_one_archive_per_unit_and_owner(session, archive, units, owners, clerk, estate):
    assert archive.number == f"DA-{DAY.year}-000001" and archive.estate_id == estate.id
    assert archive.opened_on == DAY and archive.status.value == "active"
    with pytest.raises(Conflict):
        archives.register_archive(session, clerk, units[0], owners[0])
    second = archives.register_archive(session, clerk, units[1], owners[1], opened_on=DAY)
    assert second.number == f"DA-{DAY.year}-000002"


def test_only_an_owner_of_the_unit_gets_an_archive(session, units, owners, clerk):
    with pytest.raises(ValidationError) as err:
        archives.register_archive(session, clerk, units[1], owners[0])
    assert "party_id" in err.value.errors
    assert session.scalar(select(func.count()).select_from(OwnerArchive)) == 0


def test_staff_without_the_right_or_of_another_estate_cannot_register(session, units, owners, guard, stranger):
    with pytest.raises(PermissionDenied):
        archives.register_archive(session, guard, units[0], owners[0])
    with pytest.raises(PermissionDenied):
        archives.register_archive(session, stranger, units[0], owners[0])


def test_contracts_are_confidential_by_default_and_bad_input_is_refused(session, archive, clerk):
    kinds = {d.doc_type: d.sensitivity for d in archive.documents}
    assert kinds == {DocumentType.household_form: Sensitivity.normal,
                     DocumentType.purchase_contract: Sensitivity.confidential}
    with pytest.raises(ValidationError) as err:
        archives.file_document(session, clerk, archive, "diary")
    assert "doc_type" in err.value.errors
    with pytest.raises(ValidationError) as err:
        archives.file_document(session, clerk, archive, "other", pages=0)
    assert "pages" in err.value.errors
    assert len(archive.documents) == 2


def test_completeness_names_the_missing_documents(session, archive, clerk, specialist, units, owners):
    found = archives.completeness(session, archive, required=REQUIRED)
    assert found["missing"] == [DocumentType.owner_covenant, DocumentType.handover_form]
    assert (found["required"], found["present"], found["complete"]) == (3, 1, False)
    full = archives.register_archive(session, clerk, units[1], owners[1], opened_on=DAY)
    for kind in archives.archive_settings(session)["required_documents"]:
        archives.file_document(session, clerk, full, kind)
    listed = archives.incomplete_archives(session, specialist)
    assert [a for a, _missing in listed] == [archive]  # the full one is not listed
    archives.file_document(session, clerk, archive, "owner_covenant")
    archives.file_document(session, clerk, archive, "handover_form")
    assert archives.completeness(session, archive, required=REQUIRED)["complete"] is True


def test_other_estates_staff_see_no_incomplete_archives(session, archive, stranger):
    assert archives.incomplete_archives(session, stranger) == []


def test_closing_keeps_the_archive_and_retention_only_lists_it(session, archive, clerk, specialist):
    archives.close_archive(session, clerk, archive, on=dt.date(2010, 5, 1))
    assert archive.status.value == "closed" and archive.closed_on == dt.date(2010, 5, 1)
    with pytest.raises(Conflict):
        archives.close_archive(session, clerk, archive)
    with pytest.raises(Conflict):  # documents of a closed archive go to the new owner's
        archives.file_document(session, clerk, archive, "other")
    # default: permanent retention (KF09 §4.6), nothing to review
    assert archives.past_retention(session, specialist, today=DAY) == []
    assert archives.past_retention(session, specialist, today=DAY, years=15) == [archive]
    assert archives.past_retention(session, specialist, today=DAY, years=20) == []
    assert session.get(OwnerArchive, archive.id) is archive  # listed, never deleted
    assert session.get(Party, archive.party_id) is not None
