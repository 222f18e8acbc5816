"""What a printable document is (:class:`Document`) and the merged set of every enabled plugin's
documents (hook ``wuye_documents``), checked once at startup."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
PAGE_SIZES = ("A4", "A4 landscape", "A5", "A5 landscape")
_CACHE_KEY = "_wuye_documents"


@dataclass(frozen=True, eq=False)  # identity: documents hold functions and dicts
class Document:
    """A printable document (打印单据) of one model, contributed through ``wuye_documents``.

    * ``name``: ``<plugin>.<doc>`` (``billing.receipt``); ``label``/``label_zh``: its title;
    * ``model``: the mapped class whose record it prints; ``template``: a Jinja path inside the
      plugin's ``templates/`` folder (``billing/receipt.html``) or a template string; templates
      extend ``wuye/print/base.html``;
    * ``context(session, record, actor, **params) -> dict``: the template's variables (raise
      ``core.ValidationError`` for bad ``params``);
    * ``permission``: who may print it (the record's estate is checked too);
    * ``numbered``: each first issue takes a number ``<prefix>-<year>-000001`` per estate;
      ``number(record) -> str`` instead uses the record's own number (a receipt's RC-...);
    * ``page_size``: one of :data:`PAGE_SIZES`;
    * ``params``: names of extra parameters with their labels (``{"period": ("Period", "账期")}``);
    * ``applies(record) -> bool``: whether the record can have this document (default: all);
    * ``via``: other models whose pages offer the print button, each with a function
      ``(session, record) -> the document's record or None`` (a payment's page prints its receipt);
    * ``batch(session, building, **params) -> records``: the records of one building printed as
      one PDF (``wuye documents print NAME --building ID``).
    """

    name: str
    label: str
    label_zh: str
    model: type
    template: str
    context: Callable[..., dict]
    permission: str
    numbered: bool = True
    prefix: str = ""
    number: Callable[[Any], str | None] | None = None
    page_size: str = "A4"
    params: dict[str, tuple[str, str]] = field(default_factory=dict)
    applies: Callable[[Any], bool] | None = None
    via: dict[type, Callable] = field(default_factory=dict)
    batch: Callable[..., list] | None = None
    order: int = 100

    @property
    def plugin(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def kind(self) -> str:
        """The sequence kind of its numbers: ``prefix``, else the name's letters (``PN`` for payment_notice)."""
        if self.prefix:
            return self.prefix
        return "".join(w[0] for w in self.name.split(".", 1)[1].split("_")).upper()[:8]

    def offered_for(self, record) -> bool:
        return self.applies is None or bool(self.applies(record))


def collect(wuye, problems: list[str]) -> dict[str, Document]:
    """Every enabled plugin's documents by name; duplicates and malformed ones appended to ``problems``."""
    found: dict[str, Document] = {}
    owner: dict[str, str] = {}
    for plugin, docs in wuye.call_each("wuye_documents"):
        for doc in docs or ():
            if not isinstance(doc, Document):
                problems.append(f"plugin '{plugin}': wuye_documents returned {doc!r}; return core.Document objects")
                continue
            if doc.name in found:
                problems.append(f"document '{doc.name}' is declared by both '{owner[doc.name]}' and '{plugin}'")
                continue
            if not NAME_RE.match(doc.name) or (plugin != "core" and doc.plugin != plugin):
                problems.append(f"plugin '{plugin}': document '{doc.name}' must be named '{plugin}.<document>' "
                                "(lowercase letters, digits and _)")
                continue
            if doc.page_size not in PAGE_SIZES:
                problems.append(f"plugin '{plugin}': document '{doc.name}' has page size {doc.page_size!r}; "
                                f"use one of {', '.join(PAGE_SIZES)}")
                continue
            found[doc.name] = doc
            owner[doc.name] = plugin
    return found


def check_documents(wuye, problems: list[str]) -> None:
    """Startup stage: collect the documents once, reporting every problem (called by core's wuye_startup)."""
    mine: list[str] = []
    docs = collect(wuye, mine)
    problems.extend(mine)
    wuye.__dict__[_CACHE_KEY] = docs


def documents_of(wuye) -> dict[str, Document]:
    """The documents of a booted instance, by name (collected at startup)."""
    docs = wuye.__dict__.get(_CACHE_KEY)
    if docs is None:
        docs = wuye.__dict__[_CACHE_KEY] = collect(wuye, [])
    return docs


def documents_for_model(wuye, model: type) -> list[tuple[Document, Callable | None]]:
    """Documents printable from ``model``'s page: (document, resolver) with resolver None for its own."""
    out = []
    for doc in sorted(documents_of(wuye).values(), key=lambda d: (d.order, d.name)):
        if doc.model is model:
            out.append((doc, None))
        elif model in doc.via:
            out.append((doc, doc.via[model]))
    return out
