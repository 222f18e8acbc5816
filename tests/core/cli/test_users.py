"""``wuye users create`` (``core/cli/users.py``)."""

from __future__ import annotations

import json


def test_users_create_refuses_duplicates_and_unknown_estates(run, upgraded):
    created = run("users", "create", "boss", "--role", "general_manager", "--password-stdin", "--json",
                  config=upgraded, stdin="s3cret-pass\n")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["roles"] == ["general_manager"]
    dup = run("users", "create", "boss", "--role", "general_manager", "--password-stdin", config=upgraded,
              stdin="s3cret-pass\n")
    assert dup.returncode == 1 and "already exists" in dup.stderr
    no_estate = run("users", "create", "cs1", "--role", "cs_specialist", "--estate", "NOPE", "--password-stdin",
                    config=upgraded, stdin="s3cret-pass\n")
    assert no_estate.returncode == 1 and "unknown estate code(s) NOPE" in no_estate.stderr
