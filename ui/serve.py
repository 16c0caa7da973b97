"""Start the dashboard: ``python -m ui.serve [--section.option value ...]`` (what ``make run`` does).

The app is Streamlit's public ASGI application, ``st.App("app.py", middleware=[...])``
(:mod:`streamlit.starlette`), run under uvicorn by :meth:`streamlit.starlette.App.run`.
Options are Streamlit's configuration options, as ``streamlit run`` takes them
(``--server.port 8502``, ``--server.fileWatcherType auto``); ``.streamlit/config.toml``
holds the production settings.

Two things differ from ``streamlit run app.py``:

* :class:`ui.static_cache.StaticCache` is a middleware in front of Streamlit, so that a room
  of first visitors gets the front-end files from memory, gzip-compressed (see that module);
* Streamlit treats a folder named ``pages/`` next to the entry script as its old multipage
  convention until the first session has called ``st.navigation``; a shared link to
  ``/statistics?...`` as the first request after a start would then open the wrong page
  without the app's navigation. The flag is switched off here, before the server takes a
  session.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "app.py"


def make_app(script: Path = SCRIPT) -> Any:
    """The dashboard as an ASGI application: ``st.App`` with the static cache in front."""
    from starlette.middleware import Middleware
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.starlette import App

    from ui.static_cache import StaticCache

    PagesManager.uses_pages_directory = False
    return App(script, middleware=[Middleware(StaticCache)])


def _value(text: str) -> Any:
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def config_options(args: Sequence[str]) -> dict[str, Any]:
    """Streamlit configuration options from command-line flags.

    >>> config_options(["--server.port", "8502", "--server.headless=true"])
    {'server.port': 8502, 'server.headless': True}
    """
    options: dict[str, Any] = {}
    items = list(args)
    while items:
        flag = items.pop(0)
        if not flag.startswith("--") or flag == "--":
            raise SystemExit(f"ui.serve: expected --section.option value, got {flag!r}")
        name, equals, text = flag[2:].partition("=")
        if not equals:
            if not items:
                raise SystemExit(f"ui.serve: {flag} needs a value")
            text = items.pop(0)
        options[name] = _value(text)
    return options


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the dashboard until stopped (Ctrl+C)."""
    options = config_options(sys.argv[1:] if argv is None else argv)
    app = make_app()
    # App.run takes its launcher from sys.argv[0]: the app's own script, so that the
    # script-level .streamlit/ folder and static/ folder are the project's.
    sys.argv = [str(SCRIPT)]
    app.run(config=options)


if __name__ == "__main__":
    main()
