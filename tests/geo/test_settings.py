"""The limits and defaults live in geo.settings, and the places that apply them agree."""

from __future__ import annotations

import tomllib
from pathlib import Path

from geo import export, io, settings
from geo.maps import layers
from geo.significance import replicates_for
from geo.view import View

ROOT = Path(__file__).resolve().parents[2]


def test_the_upload_limit_of_the_dashboard_is_the_library_s():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 2**20 == settings.MAX_FILE_BYTES


def test_modules_apply_the_settings_values():
    assert io.MAX_ROWS == settings.MAX_ROWS and io.SNIFF_BYTES == settings.SNIFF_BYTES
    assert export.EXCEL_MAX_ROWS == settings.EXCEL_MAX_ROWS
    assert layers.FIRM_POINTS_LIMIT == settings.FIRM_POINTS_LIMIT
    view = View()
    assert (view.eps_km, view.min_samples) == (
        settings.DEFAULT_EPS_KM,
        settings.DEFAULT_MIN_SAMPLES,
    )
    assert replicates_for(1) == settings.MIN_SIGNIFICANCE_REPLICATES


def test_every_setting_is_listed_and_documented():
    source = (ROOT / "geo" / "settings.py").read_text()
    names = [n for n in dir(settings) if n.isupper()]
    assert sorted(names) == sorted(settings.__all__)
    for name in names:
        line = next(i for i, text in enumerate(source.splitlines()) if text.startswith(name))
        assert source.splitlines()[line - 1].lstrip().startswith("#:") or source.splitlines()[
            line - 2
        ].lstrip().startswith("#:"), name
