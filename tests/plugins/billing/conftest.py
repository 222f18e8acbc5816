"""Fixtures for billing tests: an estate with two buildings, staff, and a quiet catalogue."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from .helpers import add_unit, make_estate, quiet_catalogue, staff


@pytest.fixture
def bt(seeded):
    """Estate BT: building 1 with units 101 (100 m², delivered 2025-01-01), 102 (89.37 m²) and 103
    (delivered 2026-11-10, pro rata); building 2 with 201 (120.55 m²) and 202 (not delivered).
    Only fee items the test creates are active. Staff: cashier, finance, manager, specialist, gm."""
    session = seeded
    quiet_catalogue(session)
    estate, (b1, b2) = make_estate(session)
    units = {
        "101": add_unit(session, b1, "101", area="100.00", interior="80.00"),
        "102": add_unit(session, b1, "102", area="89.37", interior="70.15"),
        "103": add_unit(session, b1, "103", area="100.00", interior="80.00", delivered=dt.date(2026, 11, 10)),
        "201": add_unit(session, b2, "201", area="120.55", interior="99.99"),
        "202": add_unit(session, b2, "202", area="90.00", delivered=None),
    }
    return SimpleNamespace(
        session=session,
        estate=estate,
        b1=b1,
        b2=b2,
        units=units,
        cashier=staff(session, "cashier1", "cashier", estates=[estate]),
        cashier2=staff(session, "cashier2", "cashier", estates=[estate]),
        finance=staff(session, "finance1", "finance_dept"),
        manager=staff(session, "manager1", "office_manager", estates=[estate]),
        specialist=staff(session, "specialist1", "cs_specialist", estates=[estate]),
        gm=staff(session, "gm1", "general_manager"),
        guard=staff(session, "guard1", "guard", estates=[estate]),
    )
