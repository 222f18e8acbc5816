"""Monthly statements through the API (issue 16 part 5): a statement lists its lines, and posting it
sends the monthly amount to billing once; a second post is refused and bills nothing more."""

from __future__ import annotations

from sqlalchemy import func, select

from core import estate_today
from plugins.billing.models import ChargeLine
from plugins.convenience import services

from .steps import book, deliver_and_confirm


def _statement(ns):
    """Two monthly services for unit 0 this month (50.00 and 2 h × 35.50 = 71.00), built into a statement."""
    period = estate_today(ns.session, ns.estate).strftime("%Y-%m")
    a = deliver_and_confirm(ns, book(ns, "P-DRAIN", mode="monthly"))
    b = deliver_and_confirm(ns, book(ns, "P-CLEAN", quantity="2", mode="monthly"))
    statement = services.build_statement(ns.session, ns.cashier, unit=ns.units[0], customer=ns.owners[0],
                                         period=period)
    return statement, (a, b), period


def _charges(session, statement) -> list[int]:
    return list(session.scalars(select(ChargeLine.amount_fen).where(ChargeLine.source == statement.source)))


def test_a_statement_lists_its_lines(published, api_client):
    statement, (a, b), period = _statement(published)
    client = api_client(published.cashier.username)
    r = client.get(f"/api/v1/convenience/statements/{statement.id}")
    assert r.status_code == 200, r.json
    assert r.json["total_fen"] == 12100 and r.json["posted_at"] is None
    assert [(line["order_id"], line["amount_fen"]) for line in r.json["lines"]] == [(a.id, 5000), (b.id, 7100)]
    assert r.json["lines"][0]["description"].startswith(a.number)
    listed = client.get(f"/api/v1/convenience/statements?period={period}").json["items"]
    assert [len(s["lines"]) for s in listed] == [2]


def test_posting_through_the_api_bills_once(published, api_client):
    statement, _orders, period = _statement(published)
    client = api_client(published.cashier.username)
    r = client.post(f"/api/v1/convenience/statements/{statement.id}/post")
    assert r.status_code == 201, r.json
    assert r.json["charge_line"]["amount_fen"] == 12100 and r.json["charge_line"]["period"] == period
    assert r.json["charge_line"]["source"] == f"convenience:statement:{statement.id}"
    assert r.json["statement"]["posted_at"] is not None
    assert r.json["statement"]["posted_by_id"] == published.cashier.id
    assert _charges(published.session, statement) == [12100]
    r = client.post(f"/api/v1/convenience/statements/{statement.id}/post")
    assert r.status_code == 409 and r.json["error"]["field"] == "posted_at"
    assert "already posted" in r.json["error"]["message"]
    assert _charges(published.session, statement) == [12100]  # nothing doubled


def test_posting_is_refused_for_unconfirmed_services_and_for_strangers(published, api_client, make_estate,
                                                                          make_staff):
    ns = published
    period = estate_today(ns.session, ns.estate).strftime("%Y-%m")
    order = book(ns, "P-DRAIN", mode="monthly")
    services.dispatch(ns.session, ns.sup, order, staff_id=ns.staff.id)
    services.deliver(ns.session, ns.staff, order, service_record="done")  # not yet confirmed by the customer
    statement = services.build_statement(ns.session, ns.cashier, unit=ns.units[0], customer=ns.owners[0],
                                         period=period)
    r = api_client(ns.cashier.username).post(f"/api/v1/convenience/statements/{statement.id}/post")
    assert r.status_code == 409 and order.number in r.json["error"]["message"]
    # a cashier of another estate does not see the statement; a guard may not post
    other = make_staff("cashier", estates=[make_estate(units=1)])
    assert api_client(other.username).post(f"/api/v1/convenience/statements/{statement.id}/post").status_code == 404
    guard = make_staff("guard", estates=[ns.estate])
    assert api_client(guard.username).post(f"/api/v1/convenience/statements/{statement.id}/post").status_code == 403
    assert ns.session.scalar(select(func.count(ChargeLine.id)).where(ChargeLine.source == statement.source)) == 0
    assert statement.posted_at is None


def test_the_statement_page_still_opens_with_its_lines(published, app):
    from core.web.context import session_stamp

    statement, _orders, _period = _statement(published)
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["uid"], cookie["pwv"] = published.cashier.id, session_stamp(published.cashier)
    assert client.get("/admin/convenience_statements/").status_code == 200
    r = client.get(f"/admin/convenience_statements/details/?id={statement.id}")
    assert r.status_code == 200 and "121" in r.get_data(as_text=True)
