"""Collecting documents from the hook ``wuye_documents``: duplicates and malformed documents are startup
problems naming the plugins; billing's documents are offered on their models' pages."""

from __future__ import annotations

from core.documents import Document, documents_for_model, documents_of
from core.documents.registry import collect
from core.models import Unit


class FakeWuye:
    def __init__(self, results):
        self.results = results

    def call_each(self, hook):
        assert hook == "wuye_documents"
        return self.results


def doc(name: str, **kw) -> Document:
    return Document(name=name, label="Pass", label_zh="出入证", model=Unit, template="{{ 1 }}",
                    context=lambda *a, **k: {}, permission="core.units.view", **kw)


def test_duplicate_names_name_both_plugins():
    problems: list[str] = []
    found = collect(FakeWuye([("keys", [doc("keys.pass")]), ("keys2", [doc("keys.pass")])]), problems)
    assert list(found) == ["keys.pass"]
    assert any("'keys.pass'" in p and "'keys'" in p and "'keys2'" in p for p in problems), problems


def test_malformed_documents_are_problems():
    problems: list[str] = []
    found = collect(FakeWuye([("keys", [doc("renovation.permit"), doc("keys.card", page_size="Letter"), "x"])]),
                    problems)
    assert found == {}
    assert len(problems) == 3
    assert "must be named 'keys.<document>'" in problems[0]
    assert "page size 'Letter'" in problems[1]
    assert "return core.Document objects" in problems[2]


def test_documents_are_collected_at_startup_and_offered_on_their_models(wuye):
    from plugins.billing.models import Payment, Receipt

    docs = documents_of(wuye)
    assert {"billing.receipt", "billing.deposit_receipt", "billing.payment_notice"} <= set(docs)
    assert docs["billing.payment_notice"].kind == "PN"
    assert [d.name for d, _r in documents_for_model(wuye, Unit)] == ["billing.payment_notice"]
    assert [(d.name, r is not None) for d, r in documents_for_model(wuye, Payment)] == [("billing.receipt", True)]
    assert {d.name for d, _r in documents_for_model(wuye, Receipt)} == {"billing.receipt", "billing.deposit_receipt"}
