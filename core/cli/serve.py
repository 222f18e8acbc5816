"""``wuye serve``: the staff admin and the JSON API."""

from __future__ import annotations

import click

from core.cli import pass_state
from core.errors import WuyeError


def run_server(wuye, host: str, port: int) -> None:
    """Serve the web app for ``wuye`` (refuses when migrations are behind or no secret key is set)."""
    try:
        from core.web import create_app
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("core.web"):
            raise WuyeError("the web layer is not available in this version; use the CLI") from None
        raise
    app = create_app(wuye)
    click.echo(f"Serving Wuye on http://{host}:{port}/  (Ctrl+C to stop)")
    app.run(host=host, port=port, debug=False, use_reloader=False)


def register(cli: click.Group) -> None:
    @cli.command("serve")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True, type=int)
    @pass_state
    def serve(state, host, port):
        """Serve the admin screens and the API."""
        run_server(state.wuye, host, port)
