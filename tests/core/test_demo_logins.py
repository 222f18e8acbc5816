"""Demo logins: each distinct demo password is hashed once (a shared salt, for demo data only), at the
strength of a real login's hash, and every demo login logs in with the password ``wuye demo`` prints."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters

from core.demo import create_demo_logins, demo_logins
from core.errors import ValidationError
from core.security.passwords import hash_password, verify_password
from core.services.staff import create_staff


def test_every_demo_login_logs_in_with_its_printed_password(seeded, wuye, make_estate):
    estate = make_estate("DL")
    users = create_demo_logins(seeded, wuye.registry, estate.code)
    logins = demo_logins(wuye.registry)
    assert [u.username for u in users] == [username for username, _p, _r in logins]
    for user, (_username, password, role) in zip(users, logins, strict=True):
        assert verify_password(user.password_hash, password)
        assert not verify_password(user.password_hash, password + "x")
        assert user.role_names == {role}
        assert [e.code for e in user.estates] == ([] if user.username == "admin" else ["DL"])
    # one hash per distinct password, not one per login
    assert len({u.password_hash for u in users}) == len({password for _u, password, _r in logins}) == 2


def test_demo_hashes_are_as_strong_as_a_real_logins_and_real_logins_keep_their_own_salt(seeded, wuye, make_estate):
    estate = make_estate("DS")
    users = create_demo_logins(seeded, wuye.registry, estate.code)
    assert extract_parameters(users[-1].password_hash) == extract_parameters(hash_password("any password"))
    first = create_staff(seeded, "real_a", "same password", roles=["cashier"], estates=["DS"])
    second = create_staff(seeded, "real_b", "same password", roles=["cashier"], estates=["DS"])
    assert first.password_hash != second.password_hash  # a salt of their own


def test_demo_logins_before_the_roles_are_seeded_name_the_fix(session, wuye, make_estate):
    estate = make_estate("DN")
    with pytest.raises(ValidationError, match="seed the roles first") as raised:
        create_demo_logins(session, wuye.registry, estate.code)
    assert raised.value.field == "role"
