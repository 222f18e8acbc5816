"""The app gunicorn serves in the API benchmark: ``gunicorn 'benchmarks.wsgi_bench:make_app()'``.

The benchmark's database is made with ``create_all`` (no migration history) and has no configured
secret, so the app is built in testing mode; request handling is the same as in production.
"""

from __future__ import annotations

import os


def make_app():
    from core.testing import boot
    from core.web import create_app

    wuye = boot([], database_url=os.environ["WUYE_BENCH_APP_DATABASE_URL"])
    return create_app(wuye, testing=True)
