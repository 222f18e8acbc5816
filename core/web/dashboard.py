"""Home-page cards (no Flask imported): what ``wuye_dashboard_cards(actor)`` returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    """One card on the staff home page.

    ``title`` is English and ``title_zh`` Simplified Chinese (shown per the user's language);
    ``value`` is what the card shows (a count, an amount already formatted); ``url`` where a click
    leads (may be empty); ``order`` sorts cards (then the title); ``level`` is one of ``info``,
    ``success``, ``warning``, ``danger`` and colours the card.
    """

    title: str
    title_zh: str = ""
    value: object = ""
    url: str = ""
    order: int = 100
    level: str = "info"
