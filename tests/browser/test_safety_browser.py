"""Hostile text in every field, opened in a real browser; two sessions kept apart."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from geo.workspace import Workspace
from tests.browser.conftest import legend_text, map_frame
from tests.browser.test_map_browser import wait_for
from tests.payloads import PAYLOADS

DATA = Path(__file__).resolve().parents[1] / "data"
MONGOLIAN = "Хүслэн-Барилга ХХК \"Алтан\" `тэмдэг` $100 \\ 'хашилт'"


def hostile_dataset(folder: Path) -> str:
    n = len(PAYLOADS)
    grid = np.array([(i % 6, i // 6) for i in range(n)], dtype=float)
    frame = pd.DataFrame(
        {
            "name": PAYLOADS,
            "address": PAYLOADS[::-1],
            "sector": ["hostile"] * n,
            "sector_label_en": [PAYLOADS[1]] * n,
            "sector_label_mn": [PAYLOADS[1]] * n,
            "employees": np.arange(n) + 1,
            "precision": ["point"] * n,
            "lat": 47.90 + grid[:, 1] * 0.0027,
            "lon": 106.90 + grid[:, 0] * 0.004,
            "aimag_code": ["MN-1"] * n,
            "soum": PAYLOADS,
            "founded": [2010] * n,
            "exporter": [True] * n,
            "foreign_owned": [False] * n,
            "isic_division": PAYLOADS,
        }
    )
    return Workspace(folder / "workspace.sqlite").save(frame, name="hostile", saved_by="test")


def test_every_popup_and_tooltip_with_hostile_text(app_url, page, workspace_dir):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ds = hostile_dataset(workspace_dir)
    # popups first, on the firms alone (a click on a shape below would select it and redraw)
    page.goto(f"{app_url}/?lang=en&ds={ds}&min=2&eps=0.5&lay=firms&lat=47.906&lon=106.91&z=15")
    frame = map_frame(page)
    markers = frame.locator("path.leaflet-interactive[stroke-width='1']")
    assert wait_for(lambda: markers.count() == len(PAYLOADS)), markers.count()
    names = set()
    popups = frame.locator(".leaflet-popup-content")
    for marker in markers.element_handles()[:6]:  # a few with the mouse, as people do
        marker.click(force=True)
        assert wait_for(lambda: popups.count() > 0, timeout=10)
        for i in range(popups.count()):
            try:
                names.add(popups.nth(i).locator("td").first.inner_text(timeout=2000))
            except Exception:  # a popup closing while we read it (the page reran)
                pass
    # then every popup, opened one by one through Leaflet (no race with a rerun): each is
    # written by the page's script and rendered by the browser, as a click would
    leaflet = next(f for f in page.frames if "streamlit_folium" in (f.url or ""))
    names |= set(
        leaflet.evaluate("""(function () {
        var out = [];
        window.map.eachLayer(function (layer) {
            if (layer instanceof L.CircleMarker && layer.getPopup && layer.getPopup()) {
                layer.openPopup();
                var cell = layer.getPopup().getElement().querySelector("td");
                if (cell) { out.push(cell.innerText); }
                layer.closePopup();
            }
        });
        return out; })()""")
    )
    assert len(names) == len(PAYLOADS), len(names)
    assert MONGOLIAN in names  # renders exactly, quotes and all
    assert "${alert(1)}" in names and "<img src=x onerror=alert(1)>" in names
    # then tooltips of the cluster outlines and the aimags, by hovering
    page.goto(
        f"{app_url}/?lang=en&ds={ds}&min=2&eps=0.5&lay=aimags,clusters&lat=47.906&lon=106.91&z=13"
    )
    frame = map_frame(page)
    assert wait_for(lambda: frame.locator("path.cam-cluster").count())
    tips = 0
    for path in frame.locator("path.cam-cluster").element_handles():
        path.hover(force=True)
        tips += frame.locator(".leaflet-tooltip").count() > 0
    assert tips >= 1  # cluster tooltips opened
    for path in frame.locator("path.leaflet-interactive[stroke='#37474f']").element_handles():
        path.hover(force=True)
    page.wait_for_timeout(500)
    assert dialogs == [], dialogs
    assert not page.page_errors, page.page_errors
    assert html.unescape(legend_text(frame)).count(PAYLOADS[1]) >= 1


def test_two_sessions_never_see_each_others_rows(app_url, browser, tmp_path):
    other_file = tmp_path / "other.csv"
    pd.DataFrame(
        {
            "name": ["Isolation Firm B"],
            "sector": ["G"],
            "employees": ["4"],
            "address": ["Ховд аймаг, Жаргалант сум"],
        }
    ).to_csv(other_file, index=False)
    contexts = [browser.new_context(viewport={"width": 1400, "height": 950}) for _ in range(2)]
    try:
        pages = [c.new_page() for c in contexts]
        for pg, f in zip(pages, (DATA / "utf8_comma.csv", other_file)):
            pg.goto(f"{app_url}/data?lang=en")
            pg.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(f))
        assert wait_for(lambda: pages[0].get_by_text("Read 7 rows, 6 columns.").count() > 0)
        assert wait_for(lambda: pages[1].get_by_text("Read 1 row, 4 columns.").count() > 0)
        # (the workspace's corrections are shared on purpose, so A's counts depend on
        # earlier tests; what each session read and validated does not)
        for pg, expected in ((pages[0], "Geocoded: "), (pages[1], "Geocoded: 1 matched")):
            button = pg.get_by_role("button", name="Geocode")
            button.wait_for()
            for _ in range(3):  # a click during a rerun can be lost: try again
                button.click()
                if wait_for(lambda: pg.get_by_text(expected).count() > 0, timeout=40):
                    break
            assert pg.get_by_text(expected).count() > 0
        assert pages[0].get_by_text("7 rows: 5 fine, 2 flagged").count() == 1
        assert pages[1].get_by_text("1 row: 1 fine, 0 flagged").count() == 1
        assert pages[1].get_by_text("7 rows: 5 fine, 2 flagged").count() == 0
        assert pages[0].get_by_text("1 row: 1 fine, 0 flagged").count() == 0
        assert pages[1].get_by_text("Хэрлэн сум").count() == 0
    finally:
        for c in contexts:
            c.close()
