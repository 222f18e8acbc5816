"""The production WSGI entry point boots from the configuration as the CLI does."""

from __future__ import annotations

import os
import subprocess
import sys


def _run(code: str, cfg) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "WUYE_SECRET_KEY"}
    env["WUYE_CONFIG"] = str(cfg)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)


def test_wsgi_app_refuses_an_unmigrated_database_then_serves(tmp_path):
    cfg = tmp_path / "wuye.toml"
    cfg.write_text('[core]\ndatabase_url = "sqlite:///w.sqlite3"\nsecret_key = "x" \n[plugins]\nenabled = ["keys"]\n')
    refused = _run("import core.web.wsgi", cfg)
    assert refused.returncode != 0 and "wuye db upgrade" in refused.stderr
    upgrade = _run("from core.cli import main; main(['db', 'upgrade'])", cfg)
    assert upgrade.returncode == 0, upgrade.stderr
    served = _run("from core.web.wsgi import app\n"
                  "print(app.test_client().get('/login').status_code)", cfg)
    assert served.returncode == 0, served.stderr
    assert served.stdout.strip().splitlines()[-1] == "200"
