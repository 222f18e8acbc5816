"""``wuye serve [--host H] [--port N]``: the staff admin and the JSON API."""

from __future__ import annotations

import click

from core.cli import pass_state


def run_server(wuye, host: str, port: int, *, threads: int = 8) -> None:
    """Serve the web app for ``wuye`` (refuses when migrations are behind or no secret key is set).

    Uses Werkzeug's threaded server, fine for an office; behind a reverse proxy in production run
    the WSGI app (``core.web.create_app``) under gunicorn or waitress instead.
    """
    from werkzeug.serving import run_simple

    from core.web import create_app

    app = create_app(wuye)
    click.echo(f"Serving Wuye on http://{host}:{port}/  (Ctrl+C to stop)")
    run_simple(host, port, app, threaded=threads > 1, use_reloader=False, use_debugger=False)


def register(cli: click.Group) -> None:
    @cli.command("serve")
    @click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
    @click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port.")
    @pass_state
    def serve(state, host, port):
        """Serve the admin screens (/admin/) and the API (/api/v1/).

        Needs WUYE_SECRET_KEY (or [core] secret_key) and a database at head (`wuye db upgrade`).
        """
        run_server(state.wuye, host, port)
