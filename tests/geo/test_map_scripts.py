"""The map's browser scripts are JavaScript files (geo/maps/js), loaded by the Python."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from geo import maps
from geo.maps.assets import browser_script

JS_DIR = Path(maps.__file__).parent / "js"
SCRIPTS = sorted(p.stem for p in JS_DIR.glob("*.js"))


def test_there_are_scripts_and_each_defines_its_function():
    assert SCRIPTS == ["behaviour", "firm_points", "labels", "legend", "navigation", "view_link"]
    for name in SCRIPTS:
        function = "cam" + "".join(part.title() for part in name.split("_"))
        assert f"function {function}(" in browser_script(name)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
@pytest.mark.parametrize("name", SCRIPTS)
def test_each_script_is_valid_javascript(name):
    result = subprocess.run(
        ["node", "--check", str(JS_DIR / f"{name}.js")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_map_carries_every_script(aimags):
    import pandas as pd

    firms = pd.DataFrame({"lat": [47.9], "lon": [106.9], "sector": ["ict"]})
    html = (
        maps.atlas_map(aimags, labels=_labels(), lang="en", firms=firms, layers=("aimags", "firms"))
        .get_root()
        .render()
    )
    for name in SCRIPTS:
        assert browser_script(name) in html, name


def test_script_text_that_could_escape_its_tag_or_template_is_refused(tmp_path, monkeypatch):
    from geo.maps import assets

    for bad in ("x = '</script>';", "var a = {{b: 1}};", "/* {# */"):
        (tmp_path / "js").mkdir(exist_ok=True)
        (tmp_path / "js" / "bad.js").write_text(bad)
        monkeypatch.setattr(assets.resources, "files", lambda _package: tmp_path)
        assets.browser_script.cache_clear()
        with pytest.raises(ValueError, match="must not contain"):
            assets.browser_script("bad")
    assets.browser_script.cache_clear()


def _labels() -> dict[str, str]:
    keys = (
        "name region population sector firms employees address precision cluster stage "
        "aimags layer_aimags layer_firms layer_clusters layer_heat legend_sectors copy_link "
        "copy_link_title more"
    )
    return {k: k for k in keys.split()}


def test_options_object_and_keywords_make_the_same_map(aimags):
    import re

    def html(m) -> str:
        return re.sub(r"_[0-9a-f]{32}", "_ID", m.get_root().render())

    options = maps.MapOptions(
        labels=_labels(),
        lang="en",
        layers=("aimags",),
        selected_aimag="MN-1",
        view=(47.9, 106.9, 7),
    )
    by_keywords = html(
        maps.atlas_map(
            aimags,
            labels=_labels(),
            lang="en",
            layers=("aimags",),
            selected_aimag="MN-1",
            view=(47.9, 106.9, 7),
        )
    )
    assert html(maps.atlas_map(aimags, options)) == by_keywords
    # keywords change an options object's fields
    changed = maps.atlas_map(aimags, options.replace(view=None), view=(47.9, 106.9, 7))
    assert html(changed) == by_keywords
