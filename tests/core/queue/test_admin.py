"""The admin's background-task page: the failed list with its errors, "retry", and who may see it."""

from __future__ import annotations

import re

from core.models.queue import TaskRun, TaskStatus

from . import worker_tasks

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def login(app, user):
    client = app.test_client()
    token = CSRF_RE.search(client.get("/login").text).group(1)
    r = client.post("/login", data={"username": user.username, "password": "password123", "csrf_token": token,
                                    "next": ""})
    assert r.status_code == 302, r.text[:300]
    return client


def test_failed_tasks_are_listed_with_their_error_and_can_be_retried(app, factory, make_actor):
    gm = make_actor("general_manager")
    s = factory()
    failed = TaskRun(name="core.test_noop", module=worker_tasks.__name__, params={"note": "n1"}, attempts=3,
                     max_attempts=3, status=TaskStatus.failed, error="RuntimeError: the gateway refused 138****0000")
    done = TaskRun(name="core.test_noop", module=worker_tasks.__name__, params={}, attempts=1, status=TaskStatus.done)
    s.add_all([failed, done])
    s.commit()
    client = login(app, gm)
    page = client.get("/admin/tasks/")
    assert page.status_code == 200
    assert f'data-task="{failed.id}" data-status="failed"' in page.text
    assert "RuntimeError: the gateway refused" in page.text
    assert f'data-task="{done.id}"' not in page.text  # the failed list only
    assert "失败任务 (1)" in page.text
    everything = client.get("/admin/tasks/?show=all")
    assert f'data-task="{done.id}"' in everything.text
    token = CSRF_RE.search(page.text).group(1)
    r = client.post(f"/admin/tasks/retry/{failed.id}", data={"csrf_token": token})
    assert r.status_code == 302
    s.expire_all()
    row = s.get(TaskRun, failed.id)
    assert (row.status, row.attempts, row.error, row.result) == (TaskStatus.done, 1, "", {"note": "n1"})
    again = client.post(f"/admin/tasks/retry/{done.id}", data={"csrf_token": token}, follow_redirects=True)
    assert "only failed or lost tasks can be retried" in again.text


def test_the_page_is_for_administrators_only(app, make_actor, make_estate):
    clerk = make_actor("cs_specialist", estates=[make_estate()])
    client = login(app, clerk)
    assert client.get("/admin/tasks/").status_code == 403
    assert app.test_client().get("/admin/tasks/").status_code == 302  # to the login page
