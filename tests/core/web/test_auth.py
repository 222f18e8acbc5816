"""Login, logout and password change (core/web/auth.py): sessions end when they should, the login
rate limits per username and per address (core/security/ratelimit.py), the cookie and proxy settings."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.clock import utcnow
from core.models import StaffUser
from core.models.activity import Activity
from core.security import ratelimit
from core.web.models import LoginAttempt
from tests.core.web.conftest import csrf_of, login

COOKIE = "wuye_session"


def session_cookie(client) -> str:
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None and cookie.value, "the client holds no session cookie"
    return cookie.value


def replay(app, value: str):
    """A fresh client that sends only a copied session cookie."""
    c = app.test_client()
    c.set_cookie(COOKIE, value)
    return c


def logout(client):
    token = csrf_of(client.get("/admin/").text)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


# --- sessions end on logout and password change ----------------------------------------------------
def test_a_cookie_copied_before_logout_is_refused_afterwards(app, client_as, world):
    c = client_as("cs_a")
    copied = session_cookie(c)
    assert replay(app, copied).get("/admin/").status_code == 200  # the copy works while logged in
    assert replay(app, copied).get("/api/v1/units").status_code == 200
    logout(c)
    r = replay(app, copied).get("/admin/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    r = replay(app, copied).get("/api/v1/units")
    assert r.status_code == 401 and "log in" in r.json["error"]["message"]
    # logging in again works, with a new cookie
    c2 = app.test_client()
    assert login(c2, "cs_a", world["passwords"]["cs_a"]).status_code == 302
    assert c2.get("/admin/").status_code == 200
    assert session_cookie(c2) != copied


def test_logout_ends_the_users_sessions_in_every_browser_and_writes_no_activity(app, client_as, factory, world):
    desk, phone = client_as("cs_a"), client_as("cs_a")
    other_user = client_as("clerk_a")
    s = factory()
    before = s.scalar(select(func.count(Activity.id)).where(Activity.record_table == "core_staff_users"))
    generation = s.get(StaffUser, world["users"]["cs_a"]).session_generation
    s.close()
    logout(phone)
    assert desk.get("/admin/").status_code == 302  # a per-user generation: documented in docs/admin-and-api.md
    assert other_user.get("/admin/").status_code == 200
    s = factory()
    assert s.get(StaffUser, world["users"]["cs_a"]).session_generation == generation + 1
    after = s.scalar(select(func.count(Activity.id)).where(Activity.record_table == "core_staff_users"))
    s.close()
    assert after == before  # ending a session is not an edit of the staff record


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client_as, world):
    here, elsewhere = client_as("cs_a"), client_as("cs_a")
    copied = session_cookie(here)
    token = csrf_of(here.get("/password").text)
    r = here.post("/password", data={"csrf_token": token, "current": world["passwords"]["cs_a"],
                                     "new": "a-new-pass-1", "confirm": "a-new-pass-1"})
    assert r.status_code == 200 and 'id="password-done"' in r.text
    assert here.get("/admin/").status_code == 200  # this browser stays logged in
    assert here.get("/api/v1/units").status_code == 200
    assert elsewhere.get("/admin/").status_code == 302
    assert elsewhere.get("/api/v1/units").status_code == 401
    assert replay(app, copied).get("/admin/").status_code == 302  # the cookie from before the change
    assert login(app.test_client(), "cs_a", world["passwords"]["cs_a"]).status_code == 401
    assert login(app.test_client(), "cs_a", "a-new-pass-1").status_code == 302


def test_a_wrong_current_password_changes_nothing(app, client_as, world, factory):
    here, elsewhere = client_as("cs_a"), client_as("cs_a")
    s = factory()
    user = s.get(StaffUser, world["users"]["cs_a"])
    generation, hashed = user.session_generation, user.password_hash
    s.close()
    token = csrf_of(here.get("/password").text)
    r = here.post("/password", data={"csrf_token": token, "current": "nope", "new": "a-new-pass-1",
                                     "confirm": "a-new-pass-1"})
    assert r.status_code == 400
    assert elsewhere.get("/admin/").status_code == 200
    s = factory()
    user = s.get(StaffUser, world["users"]["cs_a"])
    assert (user.session_generation, user.password_hash) == (generation, hashed)
    s.close()


def test_a_password_set_by_an_administrator_ends_the_users_sessions(app, client_as, factory, world):
    c = client_as("cs_a")
    s = factory()
    from core.security.passwords import hash_password

    s.get(StaffUser, world["users"]["cs_a"]).password_hash = hash_password("set-by-admin-1")  # e.g. the staff screen
    s.commit()
    s.close()
    assert c.get("/admin/").status_code == 302


def test_a_cookie_of_the_stamp_before_this_release_is_refused(app, world, factory):
    """Cookies issued before core_0004 carried sha256(password hash) alone: everyone logs in once more."""
    import hashlib

    s = factory()
    user = s.get(StaffUser, world["users"]["cs_a"])
    old_stamp = hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]
    s.close()
    c = app.test_client()
    with c.session_transaction() as cookie:
        cookie["uid"], cookie["pwv"] = world["users"]["cs_a"], old_stamp
    assert c.get("/admin/").status_code == 302


def test_end_sessions_and_change_password_services(session, make_actor):
    from core.errors import ValidationError
    from core.services.staff import change_password, end_sessions
    from core.web.context import session_stamp

    user = make_actor("general_manager")
    stamp, generation = session_stamp(user), user.session_generation
    end_sessions(session, user)
    assert user.session_generation == generation + 1 and session_stamp(user) != stamp
    with pytest.raises(ValidationError) as exc:
        change_password(session, user, "short")
    assert exc.value.errors and "password" in str(exc.value.errors)
    assert user.session_generation == generation + 1  # refused: nothing bumped
    change_password(session, user, "long-enough-1")
    assert user.session_generation == generation + 2


# --- the cookie's Secure flag and reverse proxies ---------------------------------------------------
@pytest.fixture
def app_with(factory):
    """``app_with(**core_settings)``: a core-only app with those ``[core]`` settings, its requests on the
    test's connection (so it sees ``world``)."""
    from core.testing import boot
    from core.web import create_app

    made = []

    def make(**settings):
        wuye = boot([], **settings)
        made.append(wuye)
        return create_app(wuye, testing=True, session_factory=factory)

    yield make
    for wuye in made:
        wuye.engine.dispose()


def test_session_cookie_is_secure_by_default_and_not_with_secure_cookies_false(app, app_with, world):
    r = login(app.test_client(), "cs_a", world["passwords"]["cs_a"])
    assert r.status_code == 302
    flags = [p.strip() for p in r.headers["Set-Cookie"].split(";")]
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= set(flags)
    plain = app_with(secure_cookies=False)
    r = login(plain.test_client(), "cs_a", world["passwords"]["cs_a"])
    assert r.status_code == 302
    flags = [p.strip() for p in r.headers["Set-Cookie"].split(";")]
    assert "Secure" not in flags and "HttpOnly" in flags


def test_a_dropped_secure_cookie_gets_a_message_saying_why(app, world):
    """Over plain HTTP the browser drops the Secure cookie, so the login form's CSRF check fails: the
    page says why and what to do instead of "the form has expired"."""
    c = app.test_client()
    token = csrf_of(c.get("/login").text)
    c.delete_cookie(COOKIE)  # what a browser does with a Secure cookie received over plain HTTP
    r = c.post("/login", data={"username": "cs_a", "password": world["passwords"]["cs_a"], "csrf_token": token})
    assert r.status_code == 400 and "secure_cookies = false" in r.text
    assert "plain HTTP" in r.text or "普通 HTTP" in r.text  # the UI language of the test config is zh_CN
    assert c.get("/admin/").status_code == 302  # not logged in
    # over HTTPS (a TLS proxy) the same loss is an ordinary expired form
    c.delete_cookie(COOKIE)
    r = c.post("/login", data={"username": "cs_a", "password": "x", "csrf_token": token},
               base_url="https://localhost")
    assert r.status_code == 400 and "secure_cookies" not in r.text


def test_trusted_proxies_take_the_client_address_from_x_forwarded_for(app, app_with, world, factory):
    s = factory()
    _spray(s, "203.0.113.7", ratelimit.MAX_ADDRESS_FAILURES)
    s.commit()
    s.close()
    behind_proxy = app_with(trusted_proxies=1)
    sprayer = behind_proxy.test_client()
    sprayer.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
    assert login(sprayer, "cs_a", world["passwords"]["cs_a"]).status_code == 429
    colleague = behind_proxy.test_client()
    colleague.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.20"
    assert login(colleague, "cs_a", world["passwords"]["cs_a"]).status_code == 302
    # without trusted_proxies the header is ignored: the address is the peer's (the proxy's)
    direct = app.test_client()
    direct.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
    assert login(direct, "cs_a", world["passwords"]["cs_a"]).status_code == 302


# --- the login rate limits --------------------------------------------------------------------------
def _spray(s, ip: str, n: int, now: dt.datetime | None = None, spread: dt.timedelta = dt.timedelta(0)):
    """``n`` failures from ``ip``, one per made-up username, the last at ``now``, ``spread`` apart."""
    now = now or utcnow()
    for i in range(n):
        ratelimit.record_failure(s, f"sprayed{i}", ip, now=now - spread * (n - 1 - i))


def test_failures_for_many_usernames_lock_the_address_out(app, world, factory):
    s = factory()
    _spray(s, "127.0.0.1", ratelimit.MAX_ADDRESS_FAILURES - 1)
    s.commit()
    s.close()
    c = app.test_client()
    r = login(c, "cs_a", "wrong")  # the last allowed failure, for a real user
    assert r.status_code == 401
    r = login(c, "clerk_a", world["passwords"]["clerk_a"])  # even the right password of another user
    assert r.status_code == 429
    assert "network address" in r.text or "网络地址" in r.text
    assert 1 <= int(r.headers["Retry-After"]) <= ratelimit.WINDOW.total_seconds()
    s = factory()  # the refused attempt was neither checked nor counted
    assert s.scalar(select(func.count(LoginAttempt.id)).where(LoginAttempt.ip == "127.0.0.1")) \
        == ratelimit.MAX_ADDRESS_FAILURES
    s.close()
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"  # another address is not affected
    assert login(other, "clerk_a", world["passwords"]["clerk_a"]).status_code == 302


def test_a_successful_login_does_not_reset_the_address_limit(app, world, factory):
    s = factory()
    _spray(s, "127.0.0.1", ratelimit.MAX_ADDRESS_FAILURES - 2)
    s.commit()
    s.close()
    c = app.test_client()
    assert login(c, "cs_a", "wrong").status_code == 401
    assert login(c, "cs_a", world["passwords"]["cs_a"]).status_code == 302  # clears cs_a's failure only
    assert login(app.test_client(), "guard_a", "wrong").status_code == 401
    assert login(app.test_client(), "guard_a", "wrong").status_code == 401  # the 20th
    assert login(app.test_client(), "clerk_a", world["passwords"]["clerk_a"]).status_code == 429


def test_address_lock_lifts_when_the_failures_leave_the_window(session):
    now = utcnow()
    ip = "192.0.2.1"
    _spray(session, ip, ratelimit.MAX_ADDRESS_FAILURES, now=now, spread=dt.timedelta(seconds=30))
    locked = ratelimit.lockout(session, "anyone", ip, now=now)
    assert locked is not None and locked.scope == "address"
    # the oldest failure (at now - 19 * 30 s) leaves the window first, and with it the lock
    first = now - dt.timedelta(seconds=30 * (ratelimit.MAX_ADDRESS_FAILURES - 1))
    assert locked.until == first + ratelimit.WINDOW
    assert locked.minutes_left(now) == 6  # 15 min - 9.5 min = 5.5 min, rounded up
    assert ratelimit.is_blocked(session, "anyone", ip, now=locked.until - dt.timedelta(seconds=1))
    assert ratelimit.lockout(session, "anyone", ip, now=locked.until) is None
    assert ratelimit.lockout(session, "anyone", "192.0.2.2", now=now) is None  # per address


def test_failures_spread_beyond_the_window_never_lock(session):
    now = utcnow()
    spread = ratelimit.WINDOW / (ratelimit.MAX_ADDRESS_FAILURES - 1) + dt.timedelta(seconds=1)
    _spray(session, "192.0.2.3", ratelimit.MAX_ADDRESS_FAILURES, now=now, spread=spread)
    assert ratelimit.lockout(session, "anyone", "192.0.2.3", now=now) is None


def test_the_username_limit_still_holds_and_names_its_scope(session):
    now = utcnow()
    for i in range(ratelimit.MAX_FAILURES):
        ratelimit.record_failure(session, "CS_A ", "192.0.2.4", now=now - dt.timedelta(minutes=i))
    locked = ratelimit.lockout(session, "cs_a", "192.0.2.4", now=now)
    assert locked is not None and locked.scope == "user"
    assert locked.until == now - dt.timedelta(minutes=ratelimit.MAX_FAILURES - 1) + ratelimit.WINDOW
    assert ratelimit.lockout(session, "clerk_a", "192.0.2.4", now=now) is None
    assert ratelimit.lockout(session, "cs_a", "192.0.2.5", now=now) is None
    ratelimit.clear(session, "cs_a", "192.0.2.4")
    assert ratelimit.lockout(session, "cs_a", "192.0.2.4", now=now) is None


def test_old_failures_are_purged_when_new_ones_are_recorded(session):
    now = utcnow()
    ratelimit.record_failure(session, "old", "192.0.2.6", now=now - ratelimit.KEEP - dt.timedelta(minutes=1))
    ratelimit.record_failure(session, "new", "192.0.2.6", now=now)
    names = set(session.scalars(select(LoginAttempt.username).where(LoginAttempt.ip == "192.0.2.6")))
    assert names == {"new"}
