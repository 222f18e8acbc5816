"""Masking of ID-card numbers and phones, and the logged opening of confidential archives."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.errors import NotFound, PermissionDenied
from core.models import Party, RelationKind, Unit
from core.models.audit import AccessLog
from core.security.access_log import access_log, open_archive
from core.security.masking import mask, mask_id_number, mask_phone, masked
from core.services.units import add_relation


@pytest.mark.parametrize(("value", "shown"), [
    ("320102199001011234", "3201**********1234"),
    ("32010219900101123X", "3201**********123X"),
    ("320102900101123", "3201*******1123"),  # old 15-digit card
    ("E12345678", "*******78"),  # passport
    ("1234", "****"),
    ("", ""),
    (None, ""),
])
def test_mask_id_number(value, shown):
    assert mask_id_number(value) == shown


@pytest.mark.parametrize(("value", "shown"), [
    ("13912345678", "139****5678"),
    ("+86 139 1234 5678", "+86 1** **** 5678"),
    ("025-87654321", "025-****4321"),
    ("87654321", "876*4321"),
    ("12345", "***45"),
    ("110", "***"),
    ("", ""),
])
def test_mask_phone(value, shown):
    assert mask_phone(value) == shown


def test_mask_refuses_unknown_kinds():
    assert mask("13912345678", "phone") == "139****5678"
    with pytest.raises(ValueError, match="unknown kind of sensitive value 'email'"):
        mask("a@b.c", "email")


@pytest.fixture
def archive(make_estate, make_actor, seeded):
    a, b = make_estate("A"), make_estate("B")
    party = Party(name="李雷", id_number="320102199001011234", phone="13912345678")
    seeded.add(party)
    seeded.flush()
    unit = seeded.scalar(select(Unit).where(Unit.estate_id == a.id))
    add_relation(seeded, unit, party, RelationKind.owner, start_on=dt.date(2024, 1, 1))
    return a, b, party


def test_masked_depends_on_view_sensitive(seeded, make_actor, archive):
    a, _b, party = archive
    clerk, cashier = make_actor("clerk", estates=[a]), make_actor("cashier", estates=[a])
    assert masked(seeded, clerk, party.id_number, "id_number") == "320102199001011234"
    assert masked(seeded, clerk, party.phone, "phone") == "13912345678"
    assert masked(seeded, cashier, party.id_number, "id_number") == "3201**********1234"
    assert masked(seeded, cashier, party.phone, "phone") == "139****5678"
    assert masked(seeded, None, party.phone, "phone") == "139****5678"


def test_opening_an_archive_is_logged(seeded, make_actor, archive):
    a, _b, party = archive
    clerk = make_actor("clerk", estates=[a])
    assert open_archive(seeded, clerk, party, reason=" ownership transfer check ") is party
    [row] = access_log(seeded, record=party)
    assert (row.actor_id, row.record_table, row.record_id, row.action, row.reason) == (
        clerk.id, "core_parties", str(party.id), "open", "ownership transfer check")
    assert row.at is not None
    open_archive(seeded, clerk, party)
    assert len(access_log(seeded, actor=clerk)) == 2
    assert access_log(seeded, since=row.at + dt.timedelta(hours=1)) == []


def test_opening_needs_the_permission_and_the_estate(seeded, make_actor, archive):
    a, b, party = archive
    cashier = make_actor("cashier", estates=[a])
    with pytest.raises(PermissionDenied, match="core.archive.open"):
        open_archive(seeded, cashier, party, reason="curious")
    clerk_b = make_actor("clerk", estates=[b])
    with pytest.raises(NotFound):
        open_archive(seeded, clerk_b, party, reason="curious")
    assert seeded.scalar(select(func.count()).select_from(AccessLog)) == 0
    gm = make_actor("general_manager")
    open_archive(seeded, gm, party, reason="audit")
    assert seeded.scalar(select(func.count()).select_from(AccessLog)) == 1
