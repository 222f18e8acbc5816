"""The search page's results (搜索): core's units and parties plus every plugin's ``wuye_search`` hits,
grouped, in plugin order. Used by the admin search page and ``GET /api/v1/search``.

The queries themselves live in :mod:`core.services.search` (parsing, scoping, masking, limits).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.models import Party, Unit
from core.services.search import (
    PLUGIN_LIMIT,
    RELATION_LABELS,
    UNIT,
    UnitQuery,
    check_query,
    current_units_of,
    find_parties,
    find_units,
    parse_unit,
    shown_phone,
)
from core.text import Text
from core.web.panels import SearchHit

log = logging.getLogger(__name__)


def unit_hit(unit: Unit, rank: int = 10) -> SearchHit:
    estate = unit.estate.name if unit.estate is not None else ""
    return SearchHit(kind=UNIT, title=unit.label, subtitle=f"{estate} · {unit.building}", page="unit",
                     record_id=unit.id, rank=rank)


def party_hit(session: Session, actor, party: Party, rank: int = 20) -> SearchHit:
    held = ", ".join(f"{RELATION_LABELS.get(r.kind, r.kind)} {u.label}" for r, u in current_units_of(session, party))
    subtitle = " · ".join(p for p in (shown_phone(session, actor, party.phone), held) if p)
    kind = Text("Company", "单位") if party.kind == "company" else Text("Person", "个人")
    return SearchHit(kind=kind, title=party.name, subtitle=subtitle, page="party", record_id=party.id, rank=rank)


@dataclass
class SearchResult:
    query: str
    unit_query: UnitQuery | None
    groups: list[tuple[str, list[SearchHit]]]  # (group title, hits); empty groups left out

    @property
    def hits(self) -> list[SearchHit]:
        return [h for _g, hits in self.groups for h in hits]

    def direct(self) -> SearchHit | None:
        """The hit to open straight away: the only hit, or the only unit when the label named its building."""
        hits = self.hits
        if len(hits) == 1:
            return hits[0]
        units = [h for h in hits if h.page == "unit"]
        if len(units) == 1 and self.unit_query is not None and self.unit_query.building is not None:
            return units[0]
        return None




def run_search(session: Session, actor, text: str, wuye=None) -> SearchResult:
    """Everything ``actor`` may see matching ``text``: units, parties, then each plugin's documents."""
    q = check_query(text)
    unit_query = parse_unit(q)
    groups: list[tuple[str, list[SearchHit]]] = []
    if unit_query is not None:
        units = [unit_hit(u, rank=0 if unit_query.building else 10) for u in find_units(session, actor, unit_query)]
        if units:
            groups.append((Text("Units", "房屋"), units))
    parties = [party_hit(session, actor, p) for p in find_parties(session, actor, q)]
    if parties:
        groups.append((Text("Owners and tenants", "业主住户"), parties))
    wuye = wuye if wuye is not None else session.info.get("wuye")
    if wuye is not None:
        for plugin, hits in plugin_hits(wuye, session, actor, q):
            m = wuye.manifests.get(plugin)
            title = Text(m.title, m.title_zh) if m is not None else plugin
            groups.append((title, hits))
    return SearchResult(query=q, unit_query=unit_query, groups=groups)


def plugin_hits(wuye, session: Session, actor, query: str) -> list[tuple[str, list[SearchHit]]]:
    """Each plugin's hits in plugin order; a failing plugin is logged and left out."""
    rank = {name: i for i, name in enumerate(wuye.order)}
    impls = sorted(wuye.hook.wuye_search.get_hookimpls(), key=lambda i: rank.get(i.plugin_name, 10**6))
    out = []
    for impl in impls:
        try:
            hits = impl.function(session=session, actor=actor, query=query)
        except Exception:  # a broken plugin must not take the search down
            log.exception("wuye_search of plugin %s failed", impl.plugin_name)
            continue
        hits = sorted((h for h in (hits or ()) if isinstance(h, SearchHit)), key=lambda h: (h.rank, h.title))
        if hits:
            out.append((impl.plugin_name, hits[:PLUGIN_LIMIT]))
    return out
