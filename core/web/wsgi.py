"""WSGI entry point for production servers: ``gunicorn 'core.web.wsgi:app'``.

The configuration is found as the CLI finds it (``WUYE_CONFIG``, then ``./wuye.toml``); the app
refuses to start when migrations are behind or no secret key is set, with a message saying what to do.
"""

from core.config import load_config
from core.runtime import Wuye
from core.web.app import create_app

app = create_app(Wuye.boot(load_config()))
