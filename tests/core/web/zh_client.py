"""A logged-in test client of a staff member holding every permission in every estate, in a given language."""

from __future__ import annotations

from core.models import StaffUser
from tests.core.web.api_records import superuser
from tests.core.web.conftest import cheap_hash, login


def client_of_everything(app, factory, wuye, username: str, locale: str = "zh_CN"):
    user_id, _token = superuser(factory, wuye, username)
    s = factory()
    user = s.get(StaffUser, user_id)
    user.password_hash = cheap_hash("every-pass-1")
    user.locale = locale
    s.commit()
    s.close()
    c = app.test_client()
    assert login(c, username, "every-pass-1").status_code == 302
    return c
