"""Numbered records: per estate/kind/year counters without gaps or duplicates, also under concurrency."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.models import Estate
from core.sequences import Sequence, next_number, next_value, peek

THREADS, PER_THREAD = 8, 25


def test_numbers_are_per_estate_kind_and_year(session, make_estate):
    a, b = make_estate("A", units=0), make_estate("B", units=0)
    assert next_number(session, "RN", estate_id=a.id, year=2026) == "RN-2026-000001"
    assert next_number(session, "RN", estate_id=a.id, year=2026) == "RN-2026-000002"
    assert next_number(session, "RN", estate_id=b.id, year=2026) == "RN-2026-000001"
    assert next_number(session, "RN", estate_id=a.id, year=2027) == "RN-2027-000001"
    assert next_number(session, "KL", estate_id=a.id, width=4) == "KL-0001"
    assert next_number(session, "RN", estate_id=None, year=2026) == "RN-2026-000001"  # company-wide
    assert next_number(session, "RN", estate_id=None, year=2026) == "RN-2026-000002"
    assert peek(session, "RN", estate_id=a.id, year=2026) == 2
    assert peek(session, "RN", estate_id=None, year=2026) == 2
    assert peek(session, "ZZ", estate_id=a.id) == 0


def test_a_rolled_back_savepoint_gives_its_number_back(session, make_estate):
    a = make_estate("A", units=0)
    next_value(session, "RC", estate_id=a.id)
    with pytest.raises(RuntimeError), session.begin_nested():
        assert next_value(session, "RC", estate_id=a.id) == 2
        raise RuntimeError("the form was invalid")
    assert next_value(session, "RC", estate_id=a.id) == 2


def test_only_one_company_wide_counter_per_kind_and_year(session):
    session.add(Sequence(estate_id=None, kind="DUP", year=2026, last=1))
    session.flush()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(Sequence(estate_id=None, kind="DUP", year=2026, last=5))
        session.flush()


def _estate_id(wuye) -> int:
    with wuye.session() as s:
        s.add(Estate(code="SEQ", name="Sequence estate"))
    with wuye.session() as s:
        return s.scalar(select(Estate.id).where(Estate.code == "SEQ"))


@pytest.mark.parametrize("company_wide", [False, True], ids=["estate", "company"])
def test_concurrent_transactions_get_distinct_numbers_without_gaps(committed, company_wide):
    wuye = committed
    estate_id = None if company_wide else _estate_id(wuye)
    issued: list[int] = []
    errors: list[BaseException] = []
    lock, start = threading.Lock(), threading.Barrier(THREADS)

    def worker():
        try:
            start.wait()
            for _ in range(PER_THREAD):
                with wuye.session() as s:  # one committed transaction per number
                    n = next_value(s, "CC", estate_id=estate_id, year=2026)
                with lock:
                    issued.append(n)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sorted(issued) == list(range(1, THREADS * PER_THREAD + 1))
    with wuye.session() as s:
        assert peek(s, "CC", estate_id=estate_id, year=2026) == THREADS * PER_THREAD
        assert len(s.scalars(select(Sequence).where(Sequence.kind == "CC")).all()) == 1


def test_a_rolled_back_transaction_leaves_no_gap(committed):
    wuye = committed
    estate_id = _estate_id(wuye)
    with wuye.session() as s:
        assert next_value(s, "RB", estate_id=estate_id) == 1
    with pytest.raises(RuntimeError), wuye.session() as s:
        assert next_value(s, "RB", estate_id=estate_id) == 2
        raise RuntimeError("payment failed")
    with wuye.session() as s:
        assert next_number(s, "RB", estate_id=estate_id) == "RB-000002"
