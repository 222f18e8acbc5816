"""Orders end to end with billing's ledger: per job, prepayment, tenants, deposits, bad input."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError as MmValidationError

from core import PermissionDenied, ValidationError, WorkflowError, apply
from plugins.billing import services as billing
from plugins.convenience import services
from plugins.convenience.models import ConvenienceOrder, OrderStatus, PrepayKind
from plugins.convenience.schemas import OrderSchema

from .steps import book, deliver_and_confirm


def test_per_job_order_end_to_end_charges_billing(published):
    s, ns = published.session, published
    order = book(ns, "P-DRAIN", quantity="2")
    assert order.number.startswith("CV-") and order.status == OrderStatus.registered
    assert (order.amount_fen, order.prepay_kind) == (10000, PrepayKind.none)
    services.dispatch(s, ns.sup, order, department_id=ns.dept.id, staff_id=ns.staff.id)
    assert (order.department_id, order.assigned_staff_id) == (ns.dept.id, ns.staff.id)
    services.deliver(s, ns.staff, order, service_record="疏通厨房下水")
    assert order.delivered_by_id == ns.staff.id and order.delivered_at is not None
    services.confirm(s, ns.staff, order, confirmed_by="业主0", method="signature")
    assert (order.confirmed_by_name, order.confirmation_method) == ("业主0", "signature")
    assert order.confirmed_at is not None and order.confirmation_recorded_by_id == ns.staff.id
    assert billing.charges_for(s, source=order.source) == []
    services.charge(s, ns.cashier, order)
    lines = billing.charges_for(s, source=f"convenience:order:{order.id}")
    assert [(line.amount_fen, line.fee_item.code) for line in lines] == [(10000, "CONV_SERVICE")]
    assert billing.outstanding_fen(s, source=order.source) == 10000
    assert services.order_outstanding_fen(s, order) == 10000
    assert not services.order_paid(s, order)
    billing.record_payment(s, ns.cashier, unit=order.unit, amount_fen=10000, method="cash", lines=[lines[0].id])
    assert billing.outstanding_fen(s, source=order.source) == 0
    assert services.order_paid(s, order)
    services.return_visit(s, ns.cs, order, satisfaction=4, comment="师傅准时")
    assert (order.satisfaction, order.visit_comment, order.visited_by_id) == (4, "师傅准时", ns.cs.id)
    services.close(s, ns.cs, order)
    assert order.status == OrderStatus.closed and order.closed_at is not None


def test_free_item_is_never_charged(published):
    s, ns = published.session, published
    order = deliver_and_confirm(published, book(ns, "F-TV"))
    services.charge(s, ns.cashier, order)
    assert order.amount_fen == 0 and billing.charges_for(s, source=order.source) == []
    assert services.order_paid(s, order)


def test_amount_is_price_times_quantity_rounded_half_up(published):
    order = book(published, "P-CLEAN", quantity="0.33")  # 35.50 yuan/hour x 0.33 h = 1171.5 fen
    assert order.amount_fen == 1172


def test_prepayment_is_taken_through_billing_before_dispatch(published):
    s, ns = published.session, published
    order = book(ns, "P-LOCK")
    assert (order.prepay_kind, order.prepay_fen, order.amount_fen) == (PrepayKind.prepayment, 3000, 8000)
    with pytest.raises(WorkflowError, match="prepay"):
        services.dispatch(s, ns.sup, order, staff_id=ns.staff.id)
    services.take_prepayment(s, ns.cashier, order, method="wechat")
    assert order.status == OrderStatus.prepaid
    lines = billing.charges_for(s, source=order.source)
    assert [(line.fee_item.code, line.amount_fen) for line in lines] == [("CONV_PREPAY", 3000)]
    assert billing.outstanding_fen(s, source=order.source) == 0
    deliver_and_confirm(ns, order)
    services.charge(s, ns.cashier, order)
    lines = billing.charges_for(s, source=order.source)
    assert sorted((line.fee_item.code, line.amount_fen) for line in lines) == [("CONV_PREPAY", 3000),
                                                                               ("CONV_SERVICE", 5000)]
    assert billing.outstanding_fen(s, source=order.source) == 5000 and not services.order_paid(s, order)


def test_tenants_always_prepay(published):
    s, ns = published.session, published
    order = book(ns, "P-DRAIN", 3, customer=ns.tenant)
    assert order.is_tenant and (order.prepay_kind, order.prepay_fen) == (PrepayKind.prepayment, 5000)
    owner_order = book(ns, "P-DRAIN", 3)
    assert not owner_order.is_tenant and owner_order.prepay_kind == PrepayKind.none
    services.take_prepayment(s, ns.cashier, order, method="cash")
    deliver_and_confirm(ns, order)
    services.charge(s, ns.cashier, order)
    assert [line.amount_fen for line in billing.charges_for(s, source=order.source)] == [5000]  # nothing more due
    assert services.order_paid(s, order)


def test_deposit_is_held_and_must_be_settled_before_closing(published):
    s, ns = published.session, published
    order = book(ns, "P-MEET")
    assert (order.prepay_kind, order.prepay_fen) == (PrepayKind.deposit, 50000)
    services.take_prepayment(s, ns.cashier, order, method="card")
    assert billing.deposit_balance_fen(s, source=order.source) == 50000
    assert billing.charges_for(s, source=order.source) == []
    deliver_and_confirm(ns, order)
    services.charge(s, ns.cashier, order)
    assert [line.amount_fen for line in billing.charges_for(s, source=order.source)] == [20000]
    services.return_visit(s, ns.cs, order, satisfaction=5)
    with pytest.raises(WorkflowError, match="deposit"):
        services.close(s, ns.cs, order)
    with pytest.raises(ValidationError):  # keeping part of it needs a reason
        services.settle_deposit(s, ns.cashier, order, approved_by=ns.manager, deduct_fen=5000)
    services.settle_deposit(s, ns.cashier, order, approved_by=ns.manager, deduct_fen=5000, reason="话筒损坏")
    assert billing.deposit_balance_fen(s, source=order.source) == 0
    services.close(s, ns.cs, order)
    assert order.status == OrderStatus.closed


def test_delivering_an_order_nobody_was_assigned_is_refused(published):
    s, ns = published.session, published
    services.update_item(s, ns.manager, ns.items["P-DRAIN"], {"provider_department_id": None})
    order = book(ns, "P-DRAIN")
    with pytest.raises(WorkflowError, match="dispatch to"):
        services.dispatch(s, ns.sup, order)
    assert order.status == OrderStatus.registered
    services.dispatch(s, ns.sup, order, department_id=ns.dept.id)  # a department, nobody named yet
    with pytest.raises(WorkflowError, match="nobody was assigned"):
        services.deliver(s, ns.staff, order)
    with pytest.raises(WorkflowError):
        apply(s, order, "deliver", ns.staff)
    assert order.status == OrderStatus.dispatched and order.delivered_at is None
    services.deliver(s, ns.staff, order, staff_id=ns.staff.id)  # who did it is named at delivery
    assert order.status == OrderStatus.delivered and order.delivered_by_id == ns.staff.id


def test_customer_must_be_related_to_the_unit(published):
    ns = published
    with pytest.raises(ValidationError) as err:
        book(ns, "P-DRAIN", 0, customer=ns.owners[1])  # the owner of another unit
    assert err.value.field == "customer_id" and ns.owners[1].name in err.value.message
    with pytest.raises(ValidationError):
        book(ns, "P-DRAIN", 0, customer=ns.tenant)  # the tenant of unit 3, not unit 0


def test_inactive_or_unpublished_items_cannot_be_ordered(published):
    s, ns = published.session, published
    services.update_item(s, ns.manager, ns.items["P-DRAIN"], {"active": False})
    with pytest.raises(ValidationError) as err:
        book(ns, "P-DRAIN")
    assert "P-DRAIN" in err.value.message and err.value.field == "item_id"
    ns.items["NEW"] = services.create_item(s, ns.manager, {"estate_id": ns.estate.id, "code": "NEW", "name": "new",
                                                          "price_fen": 100})
    with pytest.raises(ValidationError) as err:
        book(ns, "NEW")
    assert "NEW" in err.value.message and "published" in err.value.message


def test_item_offered_only_to_some_customer_types(published):
    s, ns = published.session, published
    services.update_item(s, ns.manager, ns.items["P-PLANT"], {"for_residents": False})
    with pytest.raises(ValidationError, match="residents"):
        book(ns, "P-PLANT")


def test_there_is_no_paid_field_to_set(published):
    ns = published
    assert "paid" not in ConvenienceOrder.__table__.c
    with pytest.raises(MmValidationError) as err:
        OrderSchema().load({"unit_id": 1, "customer_id": 1, "item_id": 1, "paid": True})
    assert "paid" in err.value.messages
    with pytest.raises(ValidationError) as err:
        services.create_order(ns.session, ns.cs, {"unit_id": ns.units[0].id, "customer_id": ns.owners[0].id,
                                                  "item_id": ns.items["P-DRAIN"].id, "paid": True})
    assert "paid" in err.value.errors


def test_return_visit_needs_a_satisfaction_of_1_to_5(published):
    s, ns = published.session, published
    order = deliver_and_confirm(ns, book(ns, "P-DRAIN"))
    services.charge(s, ns.cashier, order)
    with pytest.raises(ValidationError) as err:
        services.return_visit(s, ns.cs, order, satisfaction=6)
    assert "satisfaction" in err.value.errors
    with pytest.raises(WorkflowError):
        apply(s, order, "return_visit", ns.cs, satisfaction=0)
    with pytest.raises(WorkflowError):
        apply(s, order, "return_visit", ns.cs)
    assert order.status == OrderStatus.charged and order.satisfaction is None
    with pytest.raises(PermissionDenied):
        services.return_visit(s, ns.staff, order, satisfaction=3)
    services.return_visit(s, ns.cs, order, satisfaction=2, comment="来晚了")
    assert (order.status, order.satisfaction) == (OrderStatus.visited, 2)


def test_confirmation_records_who_and_how(published):
    s, ns = published.session, published
    order = book(ns, "P-DRAIN")
    services.dispatch(s, ns.sup, order, staff_id=ns.staff.id)
    services.deliver(s, ns.staff, order)
    with pytest.raises(ValidationError):
        services.confirm(s, ns.staff, order, confirmed_by="")
    with pytest.raises(ValidationError):
        services.confirm(s, ns.staff, order, confirmed_by="业主0", method="telepathy")
    with pytest.raises(WorkflowError):
        apply(s, order, "confirm", ns.staff, confirmed_by="业主0", method="telepathy")
    services.confirm(s, ns.staff, order, confirmed_by="业主0的配偶", method="phone")
    assert (order.confirmed_by_name, order.confirmation_method) == ("业主0的配偶", "phone")


def test_dispatch_defaults_to_the_items_provider_and_confirm_to_the_customer(published):
    """What an admin button (no form data) does: the item's provider is dispatched, the customer signs."""
    s, ns = published.session, published
    services.update_item(s, ns.manager, ns.items["P-DRAIN"], {"provider_company": "洁亮家政"})
    order = book(ns, "P-DRAIN")
    apply(s, order, "dispatch", ns.sup)
    assert (order.department_id, order.assigned_partner) == (ns.dept.id, "洁亮家政")
    apply(s, order, "deliver", ns.staff)  # the partner did the work
    assert order.delivered_by_id is None
    apply(s, order, "confirm", ns.staff)
    assert (order.confirmed_by_name, order.confirmation_method) == ("业主0", "signature")


def test_cancel_needs_a_reason_and_no_money_taken(published):
    s, ns = published.session, published
    order = book(ns, "P-DRAIN")
    with pytest.raises(ValidationError):
        services.cancel(s, ns.cs, order, "")
    services.cancel(s, ns.cs, order, "住户外出")
    assert (order.status, order.cancel_reason) == (OrderStatus.cancelled, "住户外出")
    prepaid = book(ns, "P-LOCK")
    services.take_prepayment(s, ns.cashier, prepaid)
    with pytest.raises(WorkflowError, match="billing"):
        services.cancel(s, ns.cs, prepaid, "changed mind")
    assert prepaid.status == OrderStatus.prepaid


def test_staff_of_another_estate_cannot_book_or_dispatch(published, make_estate, make_staff):
    s, ns = published.session, published
    other = make_estate()
    stranger = make_staff("cs_supervisor", estates=[other])
    with pytest.raises(PermissionDenied):
        book(ns, "P-DRAIN", actor=stranger)
    order = book(ns, "P-DRAIN")
    with pytest.raises(PermissionDenied):
        services.dispatch(s, stranger, order, staff_id=ns.staff.id)
    assert order.status == OrderStatus.registered


def test_state_cannot_be_set_directly(published):
    s, ns = published.session, published
    order = book(ns, "P-DRAIN")
    order.status = OrderStatus.closed
    with pytest.raises(Exception, match="(?i)workflow|apply"):
        s.flush()
