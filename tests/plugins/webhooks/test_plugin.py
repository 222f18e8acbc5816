"""The webhooks plugin alone (core only) and among all plugins: it boots, registers its parts, and
queues and delivers events either way; billing's payment hook is optional."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from core import as_system
from core.models import Building, Estate
from core.seed import seed_all
from core.testing import boot
from plugins.webhooks import services
from plugins.webhooks.models import MODELS

from .conftest import SECRET, all_due, deliveries


@pytest.fixture(scope="module")
def alone():
    return boot(enabled=["webhooks"])


@pytest.fixture
def alone_session(alone, engine):
    """A rolled-back session on the test database that belongs to the webhooks-only instance."""
    conn = engine.connect()
    trans = conn.begin()
    s = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False, info={"wuye": alone})
    try:
        yield s
    finally:
        s.close()
        trans.rollback()
        conn.close()


def test_boots_alone_and_registers_its_parts(alone):
    assert alone.order == ["webhooks"]
    assert alone.manifests["webhooks"].uses == ["billing"] and alone.manifests["webhooks"].depends == []
    assert alone.registry.tables_of("webhooks") == ["webhooks_deliveries", "webhooks_endpoints"]
    assert {p for p in alone.registry.permissions if p.startswith("webhooks.")} == {"webhooks.view",
                                                                                   "webhooks.manage"}
    assert alone.registry.permissions["webhooks.manage"].default_roles == ("general_manager",)
    assert alone.registry.jobs["webhooks.deliver"].schedule == "every 1 minutes"
    assert alone.settings("webhooks") == {"max_attempts": 8, "backoff_seconds": 60, "timeout_seconds": 5,
                                          "batch_size": 100, "keep_days": 90}
    # billing is not there to publish its hook: the webhooks' optional implementation waits unused
    assert alone.hook.wuye_billing_payment_recorded.spec is None


def test_among_all_plugins_it_hears_billing(wuye_all):
    assert "webhooks" in wuye_all.order and wuye_all.order.index("billing") < wuye_all.order.index("webhooks")
    impls = {i.plugin_name for i in wuye_all.hook.wuye_billing_payment_recorded.get_hookimpls()}
    assert any("webhooks" in name for name in impls)
    assert any("webhooks" in i.plugin_name for i in wuye_all.hook.wuye_record_created.get_hookimpls())


def test_models_are_listed():
    assert {inspect(m).local_table.name for m in MODELS} == {"webhooks_endpoints", "webhooks_deliveries"}


def test_alone_it_queues_and_delivers(alone_session, receiver):
    s = alone_session
    seed_all(s, s.info["wuye"])
    with as_system(s):
        services.create_endpoint(s, None, {"url": receiver.url(), "events": "record.created", "secret": SECRET})
    estate = Estate(code="AL", name="Alone")
    s.add(estate)
    s.flush()
    s.add(Building(estate_id=estate.id, code="1"))
    s.flush()
    assert [d.record_type for d in deliveries(s)] == ["core_estates", "core_buildings"]

    @contextmanager
    def tx():
        with s.begin_nested():
            yield s

    assert services.deliver_due(tx, all_due(s))["delivered"] == 2
    assert [p["record"]["type"] for p in receiver.payloads()] == ["core_estates", "core_buildings"]
    assert all(services.sign(SECRET, r["body"]) == r["headers"]["X-Wuye-Signature"] for r in receiver.requests)
