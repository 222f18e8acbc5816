"""A company's worth of units, owners, bills and renovations for the staff-workplace benchmark (issue 15).

Everything is generated inside PostgreSQL by set-wise ``INSERT ... SELECT`` over number series and
over the units themselves, never an ORM object per row, so a million units with their owners, three
months of bills, payments and renovation applications load in a few minutes.

The shape (per 1,000,000 units):

* 100 estates (小区) of 10,000 units, buildings (栋) of 500 units, two entrances (单元) of 25 units a
  floor-pair: unit ``3-1-1201`` is building 3, entrance 1, floor 12, room 01. Each label exists once
  per estate, so a company-wide search for a label finds one unit in every estate.
* units occupied, 1 in 8 rented (出租) and 1 in 50 vacant (空置);
* an owner (业主) for 11 of 12 units (a party with a Chinese name, mobile and ID number), a
  tenant (租户) in 1 of 8, and a former owner whose ownership ended in 1 of 20 (history);
* three monthly property-fee lines per unit (2.35 元/m²), the first two paid by one payment with
  its allocations in 4 of 5 units, so most units owe one month and a fifth owe three (arrears);
* a renovation application (装修申请) for 1 unit in 100: 40% of them waiting in the review states
  (submitted, CS review, engineering review, manager approval), one in ten at work, the rest closed.

Party ids are the unit id (owners), plus an offset (tenants, former owners), and payments take the
unit id too, so related rows are joined by arithmetic instead of by lookups; the sequences are moved
past them afterwards.
"""

from __future__ import annotations

from sqlalchemy import text

UNITS_PER_ESTATE = 10_000
UNITS_PER_BUILDING = 500
PERIODS = ("2026-08", "2026-09", "2026-10")
REVIEW_STATES = ("submitted", "cs_review", "engineering_review", "manager_approval")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志海波文辉宇晨浩然欣怡子轩雨"

_ESTATES = """
INSERT INTO core_estates (code, name, kind, address, timezone, management_office, office_phone, created_at)
SELECT 'E' || lpad(e::text, 3, '0'), '小区' || e, 'residential', '', 'Asia/Shanghai', '管理处' || e, '', now()
FROM generate_series(1, :estates) AS e
"""
_BUILDINGS = """
INSERT INTO core_buildings (estate_id, code, name, phase, floors)
SELECT es.id, b::text, b || '栋', '', 25
FROM core_estates es CROSS JOIN generate_series(1, :buildings) AS b
WHERE es.code LIKE 'E%'
"""
# unit i (0-based): estate i / 10000 + 1; within it j = i % 10000: building j / 500 + 1; within the
# building k = j % 500: floor k / 20 + 1, entrance (k % 20) / 10 + 1, room <floor><k % 10 + 1:02>
_UNITS = """
INSERT INTO core_units (id, estate_id, building_id, entrance, floor, room_no, unit_type, built_area, interior_area,
                        status, delivered_on, usage_nature)
SELECT g.i + 1, b.estate_id, b.id, ((g.i % 500 % 20) / 10 + 1)::text, g.i % 500 / 20 + 1,
       (g.i % 500 / 20 + 1)::text || lpad((g.i % 10 + 1)::text, 2, '0'),
       'residential', 80 + g.i % 70 + (g.i % 100) / 100.0, 64 + g.i % 50,
       CASE WHEN g.i % 50 = 49 THEN 'vacant' WHEN g.i % 8 = 4 THEN 'rented' ELSE 'occupied' END,
       DATE '2024-01-01', ''
FROM generate_series(0, :n - 1) AS g(i)
JOIN core_estates es ON es.code = 'E' || lpad((g.i / :upe + 1)::text, 3, '0')
JOIN core_buildings b ON b.estate_id = es.id AND b.code = (g.i % :upe / 500 + 1)::text
ORDER BY g.i
"""
# a person: surname and one or two given characters picked by hashes of the id (independent of each
# other, so about 85,000 different names: a full name is shared by a dozen people in a million, as
# common Chinese names are); mobile 13x-xxxx-xxxx
_PERSON = """
substr(:surnames, abs(hashint4(pid)) % {ns} + 1, 1) || substr(:given, abs(hashint4(pid + 7)) % {ng} + 1, 1)
  || CASE WHEN pid % 3 = 0 THEN '' ELSE substr(:given, abs(hashint4(pid + 13)) % {ng} + 1, 1) END
""".format(ns=len(SURNAMES), ng=len(GIVEN))
_PARTIES = """
INSERT INTO core_parties (id, kind, name, id_type, id_number, phone, phone2, email, address, notes, created_at)
SELECT pid, 'person', {person}, 'id_card',
       '110101' || (1950 + pid % 50)::text || lpad((pid % 12 + 1)::text, 2, '0') || lpad((pid % 28 + 1)::text, 2, '0')
         || lpad((pid % 10000)::text, 4, '0'),
       '13' || (pid % 10)::text || lpad(((pid::bigint * 7919) % 100000000)::text, 8, '0'), '', '', '', '', now()
FROM (SELECT u.id + :offset AS pid FROM core_units u WHERE {where}) AS p
""".replace("{person}", _PERSON)
_RELATIONS = """
INSERT INTO core_unit_relations (unit_id, party_id, kind, relation_to_owner, share, start_on, end_on)
SELECT u.id, u.id + :offset, :kind, '', '', :start, :end FROM core_units u WHERE {where}
"""
OWNED, TENANTED, SOLD = "u.id % 12 <> 0", "u.id % 8 = 3", "u.id % 20 = 1"
_LINES = """
INSERT INTO billing_charge_lines (estate_id, unit_id, fee_item_id, period, run_period, origin, amount_fen, due_on,
                                  posted_on, payer, description, created_at)
SELECT u.estate_id, u.id, :fee, p.period, p.period, 'run', round(u.built_area * 235), p.due_on, p.posted_on,
       'owner', '物业服务费 ' || p.period, now()
FROM core_units u CROSS JOIN (VALUES {periods}) AS p(period, posted_on, due_on)
ORDER BY u.id, p.period
""".replace("{periods}", ", ".join(
    f"('{p}', DATE '{p}-01', DATE '{p}-01' + interval '1 month' - interval '1 day')" for p in PERIODS))
PAID = "u.id % 5 <> 0"
_PAYMENTS = """
INSERT INTO billing_payments (id, estate_id, unit_id, amount_fen, to_prepaid_fen, method, payer, reference, paid_on,
                              receipt_no, note, created_at)
SELECT u.id, u.estate_id, u.id, 2 * round(u.built_area * 235), 0, CASE WHEN u.id % 3 = 0 THEN 'wechat' ELSE 'cash' END,
       '', '', DATE '2026-09-20', 'RC-2026-' || lpad(u.id::text, 7, '0'), '', now()
FROM core_units u WHERE {paid}
""".replace("{paid}", PAID)
_ALLOCATIONS = """
INSERT INTO billing_allocations (estate_id, payment_id, charge_line_id, amount_fen, created_at)
SELECT l.estate_id, l.unit_id, l.id, l.amount_fen, now()
FROM billing_charge_lines l JOIN core_units u ON u.id = l.unit_id
WHERE l.period IN (:p1, :p2) AND {paid}
""".replace("{paid}", PAID)
# one unit in 100 applied; (id / 100) % 10 spreads the states: 0-3 review, 4 at work, 5-9 closed
_RENOVATIONS = """
INSERT INTO renovation_applications (
    estate_id, unit_id, number, status, applied_on, applicant_id, applicant_kind, consent_document, self_renovation,
    contractor_name, contractor_licence_no, contractor_qualification_no, contractor_site_manager, contractor_phone,
    worker_guarantee_ref, scope, scope_notes, undertakings, drawings, planned_start, planned_end, original_end,
    cs_opinion, engineering_opinion, manager_opinion, deposit_required_fen, waste_fee_fen, pass_fee_fen,
    previous_unit_status, acceptance_round, created_at, updated_at)
SELECT u.estate_id, u.id, 'RN-2026-' || lpad(u.id::text, 7, '0'),
       CASE u.id / 100 % 10 WHEN 0 THEN 'submitted' WHEN 1 THEN 'cs_review' WHEN 2 THEN 'engineering_review'
                            WHEN 3 THEN 'manager_approval' WHEN 4 THEN 'in_progress' ELSE 'closed' END,
       DATE '2026-10-01' + (u.id % 30), u.id, 'owner', '', false, '装修公司' || u.id % 50, '', '', '', '', '',
       '["floor", "wall_finish"]', '', '["U01", "U02", "U03", "U04"]', '[]',
       DATE '2026-11-01', DATE '2027-01-31', DATE '2027-01-31', '', '', '', 300000, 0, 0, '', 0, now(), now()
FROM core_units u WHERE u.id % 100 = 7 AND {owned}
""".replace("{owned}", OWNED)


def make_company(engine, n_units: int) -> dict:
    """Load the world described above into an empty PostgreSQL database; returns what was made."""
    n_estates = -(-n_units // UNITS_PER_ESTATE)
    upe = min(n_units, UNITS_PER_ESTATE)
    counts = {}
    with engine.begin() as conn:
        run = conn.execute
        run(text(_ESTATES), {"estates": n_estates})
        run(text(_BUILDINGS), {"buildings": -(-upe // UNITS_PER_BUILDING)})
        counts["units"] = run(text(_UNITS), {"n": n_units, "upe": upe}).rowcount
        names = {"surnames": SURNAMES, "given": GIVEN}
        for offset, where in ((0, OWNED), (n_units, TENANTED), (2 * n_units, SOLD)):
            counts.setdefault("parties", 0)
            counts["parties"] += run(text(_PARTIES.replace("{where}", where)), {**names, "offset": offset}).rowcount
        for offset, where, kind, start, end in ((0, OWNED, "owner", "2024-01-01", None),
                                                (n_units, TENANTED, "tenant", "2025-03-01", None),
                                                (2 * n_units, SOLD, "owner", "2020-06-01", "2023-12-31")):
            counts.setdefault("relations", 0)
            counts["relations"] += run(text(_RELATIONS.replace("{where}", where)),
                                       {"offset": offset, "kind": kind, "start": start, "end": end}).rowcount
        for table in ("core_estates", "core_buildings", "core_units", "core_parties"):
            run(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    return counts


def add_business(engine, fee_item_id: int) -> dict:
    """Three months of bills, payments of the first two in most units, renovation applications."""
    counts = {}
    with engine.begin() as conn:
        run = conn.execute
        counts["charge_lines"] = run(text(_LINES), {"fee": fee_item_id}).rowcount
        counts["payments"] = run(text(_PAYMENTS)).rowcount
        run(text("SELECT setval(pg_get_serial_sequence('billing_payments', 'id'), "
                 "(SELECT coalesce(max(id), 1) FROM billing_payments))"))
        counts["allocations"] = run(text(_ALLOCATIONS), {"p1": PERIODS[0], "p2": PERIODS[1]}).rowcount
        counts["renovations"] = run(text(_RENOVATIONS)).rowcount
        counts["renovations_in_review"] = run(text(
            "SELECT count(*) FROM renovation_applications WHERE status = ANY(:states)"),
            {"states": list(REVIEW_STATES)}).scalar()
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    return counts
