"""The SQL of a payment run by ``pgbench`` (a C client): what the database alone allows on this machine.

Eight cashiers' payments are bounded by two things Python cannot change: the statements each
payment needs, and the estate's receipt counter (numbers are gapless per estate and year, so the
counter row stays locked from the moment a number is taken to the commit). Running the same
statements from pgbench, with 8 connections on the same database in the same run, gives the ceiling
the Python figure is compared with; a second script without the counter shows what it costs.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess

# The statements of plugins.billing.payments.record_payment, in its order: lock the account, read
# the open lines, insert the payment, its allocation and the activity rows, then the receipt
# number, the receipt and the stamp on the payment, and commit.
_SCRIPT = """\\set u {unit}
BEGIN;
UPDATE billing_accounts SET lock_version = lock_version + 1 WHERE unit_id = :u RETURNING id, prepaid_fen;
SELECT l.id, l.amount_fen - coalesce(sum(a.amount_fen), 0) AS open FROM billing_charge_lines l
  LEFT JOIN billing_allocations a ON a.charge_line_id = l.id
  WHERE l.unit_id = :u AND l.origin <> 'reversal' AND l.reversed_at IS NULL
  GROUP BY l.id ORDER BY l.due_on, l.period, l.id;
SELECT timezone FROM core_estates WHERE id = {estate};
INSERT INTO billing_payments (estate_id, unit_id, amount_fen, to_prepaid_fen, method, payer, reference, paid_on,
  note, created_at) VALUES ({estate}, :u, 100, 0, 'cash', '', '', current_date, '', now()) RETURNING id \\gset p_
INSERT INTO billing_allocations (estate_id, payment_id, charge_line_id, amount_fen, created_at)
  SELECT {estate}, :p_id, id, 100, now() FROM billing_charge_lines WHERE unit_id = :u ORDER BY due_on, id LIMIT 1;
INSERT INTO core_activity (at, record_table, record_id, estate_id, action, detail, changes, note)
  VALUES (now(), 'billing_payments', :p_id, {estate}, 'create', '', '{{"amount_fen": [null, 100]}}', '');
{number}
INSERT INTO billing_receipts (estate_id, number, payment_id, amount_fen, payer, issued_on, created_at)
  VALUES ({estate}, :rc, :p_id, 100, '', current_date, now());
INSERT INTO core_activity (at, record_table, record_id, estate_id, action, detail, changes, note)
  VALUES (now(), 'billing_receipts', :p_id, {estate}, 'create', '', '{{}}', '');
UPDATE billing_payments SET receipt_no = :rc WHERE id = :p_id;
COMMIT;
"""
_COUNTER = ("UPDATE core_sequences SET last = last + 1 WHERE estate_id = {estate} AND kind = 'RC' AND year = {year} "
            "RETURNING 'RC-{year}-' || lpad(last::text, 6, '0') AS rc \\gset")
# without the shared counter: a number no other payment can have (the payment's own id)
_NO_COUNTER = "SELECT 'PG-' || :p_id AS rc \\gset"


def available() -> bool:
    return shutil.which("pgbench") is not None


def payment_tps(url, tmpdir, *, estate_id: int, unit: str, counter: bool = True, clients: int = 8,
                seconds: int = 10) -> float | None:
    """Transactions per second of the payment's SQL from pgbench; ``unit`` is a pgbench expression
    (an id, or ``random(lo, hi)``). None when pgbench is not installed."""
    if not available():
        return None
    year = dt.date.today().year
    number = (_COUNTER if counter else _NO_COUNTER).format(estate=estate_id, year=year)
    script = tmpdir / f"payment-{'counter' if counter else 'free'}.pgbench"
    script.write_text(_SCRIPT.format(unit=unit, estate=estate_id, number=number), encoding="utf-8")
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    cmd = ["pgbench", "-n", "-M", "prepared", "-c", str(clients), "-j", "2", "-T", str(seconds),
           "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres",
           "-f", str(script), url.database]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds + 120)
    found = re.search(r"tps = ([\d.]+)", out.stdout)
    if out.returncode != 0 or not found:
        raise RuntimeError(f"pgbench failed: {out.stderr.strip() or out.stdout.strip()}"[:800])
    return float(found.group(1))
