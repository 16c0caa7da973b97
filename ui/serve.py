"""Start the dashboard: ``python -m ui.serve [streamlit options]`` (what ``make run`` does).

Same as ``streamlit run app.py``, with one difference: Streamlit treats a
folder named ``pages/`` next to the entry script as its old multipage
convention until the first session has called ``st.navigation``; a shared
link to ``/statistics?...`` as the first request after a start would then
open the wrong page without the app's navigation. The flag is switched off
here, before the server takes a session.

It also puts :class:`ui.static_cache.StaticCache` in front of Streamlit's web
app, so that a room of first visitors gets the front-end files from memory,
gzip-compressed (see that module).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def install_static_cache() -> bool:
    """Wrap the web app Streamlit's server creates in :class:`ui.static_cache.StaticCache`.

    Returns False (and changes nothing) if this Streamlit release builds its
    server differently.
    """
    try:
        from streamlit.web.server.starlette import starlette_server
    except ImportError:
        return False
    create = getattr(starlette_server, "create_starlette_app", None)
    if create is None or getattr(create, "wrapped_by_atlas", False):
        return create is not None

    from ui.static_cache import StaticCache

    def create_with_cache(runtime):
        return StaticCache(create(runtime))

    create_with_cache.wrapped_by_atlas = True  # type: ignore[attr-defined]
    starlette_server.create_starlette_app = create_with_cache
    return True


def main(argv: list[str] | None = None) -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    install_static_cache()
    args = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *args]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
