"""The record page's status bar: the path the record took, its current state, the states one move away."""

from __future__ import annotations

import re

from tests.core.web.conftest import csrf_of
from tests.core.web.zh_client import client_of_everything


def test_status_bar_shows_the_path_then_the_current_then_the_next_states(app, world, factory, wuye):
    from core import as_system
    from plugins.keys import services as keys

    c = client_of_everything(app, factory, wuye, "path_zh")
    s = factory()
    with as_system(s):
        ks = keys.create_key_set(s, None, estate_id=world["a"], tag_no="P-1", unit_id=world["units_a"][0])
    s.commit()
    ident = ks.id
    s.close()
    url = f"/admin/keys_key_sets/details/?id={ident}"
    page = c.get(url).text
    assert re.findall(r'wuye-current[^>]*>\s*<span[^>]*data-state="(\w+)"', page) == ["with_developer"]
    r = c.post("/admin/keys_key_sets/transition/", data={"csrf_token": csrf_of(page), "id": ident,
                                                         "transition": "receive_from_developer"},
               follow_redirects=True)
    assert "已完成" in r.text
    page = c.get(url).text
    bar = page[page.index('id="status-bar"'):page.index('id="transition-form"')]
    assert re.findall(r'wuye-past[^>]*>\s*<span[^>]*data-state="(\w+)"', bar) == ["with_developer"]
    assert re.findall(r'wuye-current[^>]*>\s*<span[^>]*data-state="(\w+)"', bar) == ["sealed"]
    nexts = re.findall(r'data-next-state="(\w+)"', bar)
    assert nexts and "sealed" not in nexts and "with_developer" not in nexts  # one move away, not every state
    assert "开发商" in bar or "封存" in bar  # state labels, not codes
    assert re.search(r"\d\d-\d\d", bar)  # the dates of the path
