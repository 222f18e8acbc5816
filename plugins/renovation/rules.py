"""The renovation rules of the manual (住宅室内装修管理规定), shipped as JSON in ``data/``: the scope
checklist of the application form, the 14 prohibited acts, the undertakings and the technical rules
patrols check.

The lists are the manual's (001 L199, L103, L279); they are read once and never edited at run time.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@cache
def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def prohibited_acts() -> list[dict]:
    """The 14 acts an applicant must be told are prohibited (装饰装修禁止行为), codes P01-P14."""
    return list(_load("prohibited_acts.json")["acts"])


def undertakings() -> list[dict]:
    """Items allowed only with a written undertaking (书面承诺), codes U01-U04."""
    return list(_load("prohibited_acts.json")["undertakings"])


def technical_rules() -> list[dict]:
    """Technical and site rules checked on patrols (4 kW load, closed-water test, ...), codes T01-T15."""
    return list(_load("technical_rules.json")["rules"])


def scope_items() -> list[dict]:
    """The scope checklist of the application form (wall changes, waterproofing, electrical, ...)."""
    return list(_load("scope_items.json")["items"])


def finding_codes() -> dict[str, dict]:
    """Every code a patrol finding or violation may name: prohibited acts and technical rules."""
    return {item["code"]: item for item in prohibited_acts() + technical_rules()}


def rule_code(key: str) -> str:
    """The code of the technical rule with ``key`` (``"electrical_load"`` -> ``"T01"``)."""
    return next(r["code"] for r in technical_rules() if r["key"] == key)
