"""Boundaries under AppTest: every page says which boundaries it uses; the Data page shows
the stored report and lets an editor go back to the embedded ones.

Loading a file through the upload widget is walked in tests/browser/test_boundaries_browser.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.workspace import Workspace
from ui.i18n import t

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def workspace_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CAM_DATA_DIR", str(tmp_path))
    return tmp_path


def page(name: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["lang"] = lang
    at.switch_page(name)
    at.run()
    assert not at.exception, at.exception
    return at


def captions(at: AppTest) -> str:
    return "\n".join(str(c.value) for c in at.caption) + "\n".join(
        str(m.value) for m in at.markdown
    )


@pytest.mark.parametrize("lang", ["en", "mn"])
def test_pages_say_generalised_without_official_boundaries(workspace_dir, lang):
    expected = t("boundaries_caption_generalised", lang)
    for name in ("pages/map.py", "pages/aimag_statistics.py"):
        assert expected in captions(page(name, lang))


def test_pages_say_official_with_official_boundaries(workspace_dir, official_import):
    Workspace.default().save_boundaries(official_import, saved_by="Bold")
    for name in ("pages/map.py", "pages/aimag_statistics.py"):
        shown = captions(page(name))
        assert "Boundaries: official — NSO COD\\-AB, loaded" in shown
        assert "mn\\_adm2\\_codab\\.gpkg" in shown  # user text, escaped
    data = page("pages/data.py")
    assert "official — NSO COD\\-AB" in captions(data)
    assert any("Every check passed" in s.value for s in data.success)
    data.button(key="boundary_remove").click().run()
    assert not data.exception
    assert t("boundaries_caption_generalised_here", "en") in captions(data)  # "below"
    assert Workspace.default().boundaries() is None
