"""What plugins put on the unit's page (房屋档案), the party's page (业主档案) and the search page.

Plain dataclasses, no Flask: a plugin builds them in its ``panels.py`` and core renders them (HTML
and the JSON of ``/api/v1/units/<id>/overview``). A plugin imports only ``core.Panel`` and
``core.SearchHit``; the helper values hang off them::

    Panel(title="Fees", title_zh="费用", key="billing",
          facts=[(Text("Arrears", "欠费"), Panel.money(12345))],
          columns=[Text("Bill", "账单"), Text("Amount", "金额")],
          rows=[[Panel.link("RC-2026-000001", "billing_charges", 7), Panel.money(5000)]],
          actions=[Panel.action(Text("Take a payment", "收款"), "billing_payments", unit_id=12)])

Money is a count of fen (分) wrapped by :meth:`Panel.money` and shown by core as ``¥1,234.50``;
dates stay ``datetime.date`` and show as ``2026-12-04``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


def format_money(fen: int) -> str:
    """``123450`` -> ``¥1,234.50``; negatives as ``-¥12.00``."""
    sign = "-" if fen < 0 else ""
    yuan = Decimal(abs(int(fen))) / 100
    return f"{sign}¥{yuan:,.2f}"


@dataclass(frozen=True)
class Money:
    """An amount in fen (分), shown as ``¥1,234.50``."""

    fen: int

    def __str__(self) -> str:
        return format_money(self.fen)


@dataclass(frozen=True)
class Link:
    """A cell or button leading to a record.

    ``view`` is an admin screen's endpoint (``"billing_payments"``): with ``record_id`` it opens the
    record's details page; with ``create=True`` it opens the screen's create form prefilled from
    ``args`` (``?unit_id=12``). ``page`` names a core page instead (``"unit"`` or ``"party"``).
    ``level`` colours it (``"danger"`` for something overdue).
    """

    text: str
    view: str = ""
    record_id: int | None = None
    page: str = ""
    create: bool = False
    args: dict = field(default_factory=dict)
    level: str = ""

    def __str__(self) -> str:
        return str(self.text)


@dataclass(frozen=True)
class Flag:
    """A cell value highlighted with ``level`` (``"danger"``, ``"warning"``, ``"success"``)."""

    text: str
    level: str = "danger"

    def __str__(self) -> str:
        return str(self.text)


@dataclass
class Panel:
    """One box on the unit's or the party's page.

    ``title``/``title_zh`` in both languages; ``key`` is a stable id (the HTML id is
    ``panel-<key>``); ``facts`` are (label, value) pairs shown first (balance, arrears ...);
    ``columns`` and ``rows`` a small table whose cells are text, :class:`Money`, dates,
    :class:`Link` or :class:`Flag`; ``actions`` buttons (:meth:`action`); ``empty`` what an empty
    table says; ``order`` sorts panels within a plugin (plugins come in dependency order).
    """

    title: str
    title_zh: str = ""
    key: str = ""
    facts: list = field(default_factory=list)
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    empty: str = ""
    order: int = 100

    Money = Money
    Link = Link
    Flag = Flag

    @staticmethod
    def money(fen: int | None) -> Money:
        return Money(int(fen or 0))

    @staticmethod
    def link(text, view: str, record_id: int, *, level: str = "") -> Link:
        """A link to the details page of record ``record_id`` of admin screen ``view``."""
        return Link(text=text, view=view, record_id=record_id, level=level)

    @staticmethod
    def page(text, page: str, record_id: int) -> Link:
        """A link to a core page: ``"unit"`` or ``"party"``."""
        return Link(text=text, page=page, record_id=record_id)

    @staticmethod
    def action(text, view: str, **args) -> Link:
        """A button opening the create form of screen ``view`` prefilled with ``args``."""
        return Link(text=text, view=view, create=True, args=dict(args))

    @staticmethod
    def flag(text, level: str = "danger") -> Flag:
        return Flag(text=text, level=level)


@dataclass(frozen=True)
class SearchHit:
    """One search result.

    ``kind`` says what it is in both languages (``Text("Payment", "收款")``); ``title`` the
    record's number or name; ``subtitle`` a line of context (the unit, the date, the amount).
    It opens ``view``'s details page for ``record_id``, or a core ``page`` (``"unit"``,
    ``"party"``). Lower ``rank`` comes first (an exact number match is 0).
    """

    kind: str
    title: str
    subtitle: str = ""
    view: str = ""
    record_id: int | None = None
    page: str = ""
    rank: int = 100


def _en(value) -> str:
    """English for the API: a ``core.Text`` gives its English value, anything else its ``str``."""
    return str.__str__(value) if isinstance(value, str) else str(value)


def _zh(value) -> str:
    return getattr(value, "zh", None) or _en(value)


def plain(value):
    """A panel cell or fact as JSON (English text): money as ``{"fen", "text"}``, links with their target."""
    if isinstance(value, Money):
        return {"fen": value.fen, "text": str(value)}
    if isinstance(value, Link):
        out = {"text": _en(value.text)}
        if value.page:
            out.update(page=value.page, id=value.record_id)
        elif value.view:
            out.update(view=value.view, id=value.record_id)
            if value.create:
                out.update(create=True, args=dict(value.args))
        return out
    if isinstance(value, Flag):
        inner = plain(value.text)
        return {**(inner if isinstance(inner, dict) else {"text": inner}), "level": value.level}
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float):
        return value
    return _en(getattr(value, "value", value))


def panel_json(panel: Panel) -> dict:
    """A panel as the overview API returns it (English labels, ``title_zh`` for Chinese)."""
    return {"key": panel.key, "title": _en(panel.title), "title_zh": panel.title_zh or _zh(panel.title),
            "facts": [{"label": _en(label), "label_zh": _zh(label), "value": plain(v)} for label, v in panel.facts],
            "columns": [_en(c) for c in panel.columns],
            "rows": [[plain(c) for c in row] for row in panel.rows],
            "actions": [plain(a) for a in panel.actions], "empty": _en(panel.empty or "")}


def hit_json(hit: SearchHit) -> dict:
    return {"kind": _en(hit.kind), "kind_zh": _zh(hit.kind), "title": _en(hit.title), "subtitle": _en(hit.subtitle),
            "view": hit.view or None, "page": hit.page or None, "id": hit.record_id, "rank": hit.rank}
