"""A shared world for the inbox and dashboards web tests: a key custodian per estate and an open key
inventory (a workflow to-do) in each of the estates A and B of the ``world`` fixture."""

from __future__ import annotations

from sqlalchemy import select

from core.models import Role, StaffUser
from plugins.keys.models import InventoryCount

from .conftest import cheap_hash, login

PASSWORD = "keeper-pass-1"


def keepers(factory, world) -> dict:
    s = factory()
    role = s.scalar(select(Role).where(Role.name == "key_custodian"))
    out = {}
    for code, estate_id in (("a", world["a"]), ("b", world["b"])):
        from core.models import Estate

        estate = s.get(Estate, estate_id)
        user = StaffUser(username=f"keeper_{code}", full_name=f"keeper {code}", password_hash=cheap_hash(PASSWORD),
                         roles=[role], estates=[estate])
        count = InventoryCount(estate_id=estate_id, period=f"2026-0{1 if code == 'a' else 2}")
        s.add_all([user, count])
        s.flush()
        out[code] = count.id
    s.commit()
    s.close()
    return out


def as_keeper(app, code: str):
    client = app.test_client()
    assert login(client, f"keeper_{code}", PASSWORD).status_code == 302
    return client
