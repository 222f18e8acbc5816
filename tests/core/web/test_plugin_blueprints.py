"""A plugin's own Blueprint under /api/v1: the request's session and actor from the kit, and a
business error answered as the API's uniform JSON (with the view's writes rolled back), not a 500.
A plugin's public pages (``wuye_public_pages``) under /p/<plugin>/, without a login."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.db import Base
from core.models import Estate
from core.seed import seed_all
from core.services.staff import create_staff
from core.testing import boot
from core.web import create_app
from core.web.tokens import create_token
from tests.core.plugin_factory import PluginTree

HOOKS = '''
@hookimpl
def wuye_api_resources():
    from flask import Blueprint, jsonify

    from core import ValidationError, request_actor, request_session
    from core.models import Estate

    bp = Blueprint("bptest", __name__, url_prefix="/bptest")

    @bp.post("/estates")
    def add():
        session = request_session()
        session.add(Estate(code="BP", name="蓝图小区"))
        session.flush()
        raise ValidationError("the name is taken: choose another", field="name")

    @bp.get("/me")
    def me():
        return jsonify({"username": request_actor().username})

    return [bp]


@hookimpl
def wuye_public_pages():
    from flask import Blueprint

    from core import NotFound, request_actor

    bp = Blueprint("notice", __name__, url_prefix="/notice")

    @bp.get("/<int:number>")
    def show(number):
        if number != 7:
            raise NotFound("no such notice: check the link")
        return f"notice {number} for {request_actor()}"

    return [bp]
'''


@pytest.fixture
def client(tmp_path):
    tree = PluginTree(tmp_path)
    tree.add("bptest", hooks=HOOKS)
    wuye = boot(["bptest"], database_url=f"sqlite:///{tmp_path / 'bp.sqlite3'}", search=tree.search)
    Base.metadata.create_all(wuye.engine)
    with wuye.session() as s:
        seed_all(s, wuye)
        create_staff(s, "gm", "a-long-passphrase-1", roles=["general_manager"])
        _row, token = create_token(s, "gm")
    app = create_app(wuye, testing=True)
    yield app.test_client(), {"Authorization": f"Bearer {token}"}, wuye
    wuye.engine.dispose()


def test_a_plugin_blueprint_reads_the_actor_and_a_business_error_is_json_and_writes_nothing(client):
    c, auth, wuye = client
    assert c.get("/api/v1/bptest/me", headers=auth).json == {"username": "gm"}
    r = c.post("/api/v1/bptest/estates", headers=auth)
    assert r.status_code == 422 and r.json["error"]["field"] == "name" and "taken" in r.json["error"]["message"]
    with wuye.session() as s:
        assert s.scalar(select(func.count()).select_from(Estate).where(Estate.code == "BP")) == 0


def test_public_pages_are_served_under_the_plugins_name_without_a_login(client):
    c, _auth, _wuye = client
    page = c.get("/p/bptest/notice/7")  # wuye_public_pages: no token, no session cookie
    assert page.status_code == 200 and page.text == "notice 7 for None"
    missing = c.get("/p/bptest/notice/8")
    assert missing.status_code == 404 and "no such notice" in missing.text  # the plain error page
    assert c.get("/notice/7").status_code == 404  # only under /p/<plugin>/
