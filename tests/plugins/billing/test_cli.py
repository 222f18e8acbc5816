"""``wuye billing run`` as a user runs it, against a temporary SQLite instance with only billing enabled."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from core.db import make_engine
from core.models import Building, Estate, Unit, UnitStatus


def wuye(*args, config):
    env = {k: v for k, v in os.environ.items() if k not in ("WUYE_CONFIG", "WUYE_SECRET_KEY")}
    env["WUYE_CONFIG"] = str(config)
    return subprocess.run(
        [sys.executable, "-c", "from core.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("billing_cli")
    cfg = tmp / "wuye.toml"
    cfg.write_text(
        f'[core]\ndatabase_url = "sqlite:///{(tmp / "w.sqlite3").as_posix()}"\n'
        '[plugins]\nenabled = ["billing"]\n[plugins.billing]\nvacancy_discount_percent = 0\n'
    )
    up = wuye("db", "upgrade", config=cfg)
    assert up.returncode == 0, up.stderr
    engine = make_engine(f"sqlite:///{tmp / 'w.sqlite3'}")
    with Session(engine) as s, s.begin():
        estate = Estate(code="CL", name="命令行小区")
        s.add(estate)
        s.flush()
        for b in ("1", "2"):
            building = Building(estate_id=estate.id, code=b)
            s.add(building)
            s.flush()
            s.add(
                Unit(
                    estate_id=estate.id,
                    building_id=building.id,
                    room_no="101",
                    built_area=Decimal("100.00"),
                    status=UnitStatus.occupied,
                    delivered_on=dt.date(2025, 1, 1),
                )
            )
    engine.dispose()
    return cfg


def test_run_json_then_rerun_creates_nothing(instance):
    dry = wuye(
        "billing", "run", "--estate", "CL", "--period", "2026-11", "--dry-run", "--json", config=instance
    )
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["lines_created"] == 2
    out = wuye("billing", "run", "--estate", "CL", "--period", "2026-11", "--json", config=instance)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)  # stdout is pure JSON; the progress bar goes to stderr
    assert (data["lines_created"], data["lines_existing"], data["amount_fen"]) == (2, 0, 2 * 25000)
    again = json.loads(
        wuye("billing", "run", "--estate", "CL", "--period", "2026-11", "--json", config=instance).stdout
    )
    assert (again["lines_created"], again["lines_existing"], again["amount_fen"]) == (0, 2, 0)


def test_catch_up_range_and_human_summary(instance):
    out = wuye(
        "billing", "run", "--estate", "CL", "--period", "2026-08", "--to-period", "2026-10", config=instance
    )
    assert out.returncode == 0, out.stderr
    assert "created 6 lines, 1500.00 yuan" in out.stdout


def test_bad_period_fails_cleanly_and_writes_nothing(instance):
    out = wuye("billing", "run", "--estate", "CL", "--period", "2026-13", "--json", config=instance)
    assert out.returncode == 1 and "period" in out.stderr and "Traceback" not in out.stderr
    again = json.loads(
        wuye(
            "billing", "run", "--estate", "CL", "--period", "2026-11", "--dry-run", "--json", config=instance
        ).stdout
    )
    assert again["lines_existing"] == 2


def test_publish_json(instance):
    out = wuye("billing", "publish", "--estate", "CL", "--on", "2026-11-01", "--json", config=instance)
    assert out.returncode == 0, out.stderr
    rows = {r["code"]: r for r in json.loads(out.stdout)["items"]}
    assert rows["property_service"]["price_yuan"] == "2.5000"


def test_commands_run_in_process_with_click(instance):
    # the group is importable: click's CliRunner drives it with a State read from the config file
    from click.testing import CliRunner

    from core.cli import State
    from plugins.billing.cli import billing

    runner = CliRunner()
    run = runner.invoke(billing, ["run", "--estate", "CL", "--period", "2026-11"], obj=State(str(instance)))
    assert run.exit_code == 0, run.output  # billed here, or already by the tests above: nothing new
    out = runner.invoke(billing, ["aging", "--estate", "CL", "--json"], obj=State(str(instance)))
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)  # as of today at the estate: the lines were posted today, due 2026-11-15
    assert data["units"] == 2 and data["total_fen"] == sum(data["buckets"].values()) > 0
    before = runner.invoke(
        billing, ["aging", "--estate", "CL", "--as-of", "2026-01-01", "--json"], obj=State(str(instance))
    )
    assert before.exit_code == 0, before.output
    assert json.loads(before.output) == {"as_of": "2026-01-01", "buckets": dict.fromkeys(
        ("0-30", "31-90", "91-365", "366-1095", "over_1095"), 0), "total_fen": 0, "units": 0}  # nothing posted yet
    human = runner.invoke(billing, ["aging", "--estate", "CL"], obj=State(str(instance)))
    assert human.exit_code == 0 and "total" in human.output
