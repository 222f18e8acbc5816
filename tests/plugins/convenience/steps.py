"""Staff steps the convenience tests share: publish a price list, book an order, deliver and confirm it."""

from __future__ import annotations

from plugins.convenience import services


def publish(ns, **price_changes):
    """Draft, propose, approve and publish a version; ``price_changes`` maps item codes to new prices."""
    version = services.create_version(ns.session, ns.manager, ns.estate)
    for code, price in price_changes.items():
        services.set_price(ns.session, ns.manager, version, {"item_id": ns.items[code].id, "price_fen": price})
    services.propose_version(ns.session, ns.manager, version, survey_summary="调查表 80 份", survey_respondents=80)
    services.approve_version(ns.session, ns.gm, version)
    services.publish_version(ns.session, ns.manager, version)
    return version


def book(ns, code: str, unit_index: int = 0, *, customer=None, quantity="1", mode="per_job", actor=None):
    unit = ns.units[unit_index]
    customer = customer or ns.owners[unit_index]
    return services.create_order(ns.session, actor or ns.cs, {
        "unit_id": unit.id, "customer_id": customer.id, "item_id": ns.items[code].id, "quantity": quantity,
        "billing_mode": mode})


def deliver_and_confirm(ns, order):
    services.dispatch(ns.session, ns.sup, order, staff_id=ns.staff.id)
    services.deliver(ns.session, ns.staff, order, service_record="done")
    services.confirm(ns.session, ns.staff, order, confirmed_by=order.customer.name, method="signature")
    return order
