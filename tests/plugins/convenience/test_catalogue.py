"""The price list: items, versions, GM approval, publishing, and the yearly January review."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core import Conflict, PermissionDenied, ValidationError, WorkflowError, apply
from core.workflow import history
from plugins.convenience import services
from plugins.convenience.models import CatalogueStatus, ConvenienceCatalogueReview

from .steps import book, publish


def test_item_validation_names_the_field(conv):
    s = conv.session
    base = {"estate_id": conv.estate.id, "code": "X1", "name": "x", "fee_kind": "free", "price_fen": 100}
    with pytest.raises(ValidationError) as err:
        services.create_item(s, conv.manager, base)
    assert "price_fen" in err.value.errors
    with pytest.raises(ValidationError) as err:
        services.create_item(s, conv.manager, {**base, "fee_kind": "paid", "price_fen": 100,
                                               "prepay_kind": "deposit"})
    assert "prepay_fen" in err.value.errors
    with pytest.raises(Conflict):
        services.create_item(s, conv.manager, {**base, "code": "P-DRAIN", "fee_kind": "paid"})
    with pytest.raises(PermissionDenied):
        services.create_item(s, conv.staff, {**base, "code": "X2", "price_fen": 0})


def test_approval_flow_and_roles(conv):
    s = conv.session
    version = services.create_version(s, conv.manager, conv.estate)
    assert version.status == CatalogueStatus.draft
    assert {r.item.code for r in version.prices} == set(conv.items)
    with pytest.raises(Conflict):  # one open version at a time
        services.create_version(s, conv.manager, conv.estate)
    # only published versions can be ordered from
    with pytest.raises(ValidationError) as err:
        book(conv, "P-DRAIN")
    assert "P-DRAIN" in err.value.message and err.value.field == "item_id"
    with pytest.raises(PermissionDenied):
        services.propose_version(s, conv.cs, version)
    services.propose_version(s, conv.manager, version, survey_summary="收回调查表 64 份", survey_respondents=64)
    assert version.status == CatalogueStatus.proposed and version.survey_respondents == 64
    assert version.survey_summary == "收回调查表 64 份" and version.proposed_by_id == conv.manager.id
    with pytest.raises(PermissionDenied):  # the office manager cannot approve their own proposal
        services.approve_version(s, conv.manager, version)
    with pytest.raises(WorkflowError):  # publishing needs the approval first
        services.publish_version(s, conv.manager, version)
    services.approve_version(s, conv.gm, version)
    assert version.approved_by_id == conv.gm.id
    services.publish_version(s, conv.manager, version, published_via="宣传栏")
    assert version.status == CatalogueStatus.published and version.published_via == "宣传栏"
    assert services.published_version(s, conv.estate.id) is version
    assert [h.transition for h in history(s, version)] == ["propose", "approve", "publish"]
    assert book(conv, "P-DRAIN").price_fen == 5000


def test_send_back_needs_a_comment(conv):
    s = conv.session
    version = services.create_version(s, conv.manager, conv.estate)
    services.propose_version(s, conv.manager, version)
    with pytest.raises(ValidationError):
        services.return_version(s, conv.gm, version, "  ")
    with pytest.raises(WorkflowError):
        apply(s, version, "send_back", conv.gm)
    services.return_version(s, conv.gm, version, "洗车价格偏高")
    assert version.status == CatalogueStatus.draft


def test_empty_or_unpriced_list_cannot_be_proposed(conv):
    s = conv.session
    version = services.create_version(s, conv.manager, conv.estate)
    for item in conv.items.values():
        services.remove_price(s, conv.manager, version, item)
    with pytest.raises(WorkflowError):
        services.propose_version(s, conv.manager, version)
    assert version.status == CatalogueStatus.draft


def test_new_version_supersedes_and_old_orders_keep_their_price(published):
    s, ns = published.session, published
    old_order = book(ns, "P-DRAIN", quantity="2")
    assert (old_order.price_fen, old_order.amount_fen) == (5000, 10000)
    with pytest.raises(Conflict):  # a published list's prices are fixed; a change is a new version
        services.set_price(s, ns.manager, ns.version, {"item_id": ns.items["P-DRAIN"].id, "price_fen": 6000})
    new = publish(ns, **{"P-DRAIN": 6000})
    assert new.version_no == 2
    assert ns.version.status == CatalogueStatus.superseded and ns.version.superseded_at is not None
    assert services.published_version(s, ns.estate.id) is new
    new_order = book(ns, "P-DRAIN", quantity="2")
    assert (new_order.price_fen, new_order.amount_fen, new_order.version_id) == (6000, 12000, new.id)
    s.refresh(old_order)
    assert (old_order.price_fen, old_order.amount_fen, old_order.version_id) == (5000, 10000, ns.version.id)
    assert services.price_row(s, ns.version, ns.items["P-DRAIN"].id).price_fen == 5000


def test_item_price_change_waits_for_the_next_version(published):
    s, ns = published.session, published
    services.update_item(s, ns.manager, ns.items["P-DRAIN"], {"price_fen": 9900})
    assert book(ns, "P-DRAIN").price_fen == 5000
    with pytest.raises(ValidationError):
        services.update_item(s, ns.manager, ns.items["P-DRAIN"], {"code": "NEW"})


def test_yearly_review_in_january_once_per_estate(published):
    s, ns = published.session, published
    count = lambda: s.scalar(select(func.count(ConvenienceCatalogueReview.id)))  # noqa: E731
    before = count()
    assert services.yearly_review(s, dt.datetime(2031, 2, 10, 3, tzinfo=dt.UTC)) == {"created": 0}
    # 31 Dec 20:00 UTC is already 1 January in Shanghai
    first = services.yearly_review(s, dt.datetime(2030, 12, 31, 20, tzinfo=dt.UTC))
    assert first["created"] >= 1
    assert services.yearly_review(s, dt.datetime(2031, 1, 15, 3, tzinfo=dt.UTC)) == {"created": 0}
    assert count() == before + first["created"]
    review = s.scalar(select(ConvenienceCatalogueReview).where(ConvenienceCatalogueReview.estate_id == ns.estate.id,
                                                               ConvenienceCatalogueReview.year == 2031))
    assert review is not None and review.done_at is None
    assert review in services.open_reviews(s, ns.manager, ns.estate)
    # drafting and publishing the 2031 list closes the review
    version = services.create_version(s, ns.manager, ns.estate, year=2031)
    assert review.version_id == version.id
    services.propose_version(s, ns.manager, version)
    services.approve_version(s, ns.gm, version)
    services.publish_version(s, ns.manager, version)
    assert review.done_at is not None
    assert review not in services.open_reviews(s, ns.manager, ns.estate)
