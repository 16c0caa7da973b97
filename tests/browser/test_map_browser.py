"""What a person sees in a real browser: the map, its layers, a shared link, a download.

The first test opens a shared link as the very first request to the freshly
started server (Streamlit would otherwise run the page without app.py).
"""

from __future__ import annotations

import io
import json
import time

import geopandas as gpd
import pandas as pd

from tests.browser.conftest import legend_text, map_frame

LINK = "/?lang=en&sec=mining,cashmere_wool_leather&eps=2&min=10"


def wait_for(predicate, timeout=40.0, step=0.3):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def click_download(page, name: str, tries: int = 3):
    """Click the download button ``name``; again if the click fell in a rerun of the page
    (the map reports where it is after it opens, and each report reruns the page)."""
    for attempt in range(tries):
        try:
            with page.expect_download(timeout=30_000) as info:
                page.get_by_role("button", name=name).click()
            return info.value
        except Exception:
            if attempt == tries - 1:
                raise


def metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']", has_text=label).first
    box.wait_for(timeout=60_000)
    return box.locator("[data-testid='stMetricValue']").inner_text()


def aimag_paths(frame):
    return frame.locator(
        "path.leaflet-interactive[stroke='#37474f'], path.leaflet-interactive[stroke='#0d47a1']"
    )


def click_aimag(frame, paths, name: str) -> None:
    """Hover the aimags until the tooltip names ``name``, then click that one.

    A tooltip can vanish between being found and being read (the map redrawn by a
    rerun): it is read with a short timeout, and the whole walk is tried three times.
    """
    for _ in range(3):
        for i in range(paths.count()):
            path = paths.nth(i)
            try:
                path.hover(force=True, timeout=5_000)
                tip = frame.locator(".leaflet-tooltip")
                text = tip.first.inner_text(timeout=2_000) if tip.count() else ""
            except Exception:  # redrawn under the mouse: the next one
                continue
            if name in text:
                path.click(force=True)
                return
    raise AssertionError(f"no tooltip named {name}")


def test_first_request_to_a_page_link_opens_that_page_in_the_app(app_url, page):
    """A link to /statistics as the server's very first request (see ui/serve.py)."""
    page.goto(f"{app_url}/statistics?lang=en")
    assert wait_for(lambda: page.get_by_role("heading", name="Statistics").count() > 0)
    nav = page.locator("[data-testid='stSidebarNav']")
    assert wait_for(lambda: "Methods" in nav.inner_text())
    assert page.locator("[data-testid='stDialog']").count() == 0


def test_shared_link_shows_map_layers_and_navigation(app_url, page):
    page.goto(app_url + LINK)
    frame = map_frame(page)
    # the app shell ran: navigation with the translated page names
    nav = page.locator("[data-testid='stSidebarNav']")
    assert wait_for(lambda: "Statistics" in nav.inner_text())
    # the three layers: 22 aimags, cluster outlines, clustered firm markers
    assert wait_for(lambda: aimag_paths(frame).count() == 22)
    outlines = frame.locator("path.cam-cluster")
    assert wait_for(lambda: outlines.count() >= 5)
    assert wait_for(lambda: frame.locator(".marker-cluster").count() > 0)
    control = frame.locator(".leaflet-control-layers").inner_text()
    for name in ("Aimag boundaries", "Cluster outlines", "Firms"):
        assert name in control
    assert "Sectors" in legend_text(frame)
    assert page.external_requests == [], page.external_requests
    assert not page.page_errors, page.page_errors


def test_a_link_opened_in_a_fresh_browser_shows_the_same_view(app_url, browser, page):
    page.goto(app_url + LINK)
    map_frame(page)
    first = (metric(page, "Firms"), metric(page, "Significant clusters"))
    other = browser.new_context(viewport={"width": 1400, "height": 950})
    try:
        fresh = other.new_page()
        fresh.goto(app_url + LINK)
        map_frame(fresh)
        assert (metric(fresh, "Firms"), metric(fresh, "Significant clusters")) == first
        chips = fresh.locator("[data-testid='stMultiSelect']").first.inner_text()
        assert "Mining" in chips and "Cashmere" in chips
    finally:
        other.close()


def test_copy_link_control_gives_the_current_view(app_url, page):
    page.goto(app_url + LINK)
    frame = map_frame(page)
    frame.locator(".cam-link a").click()
    field = frame.locator(".cam-link-url")
    assert wait_for(lambda: "lat=" in (field.input_value() or ""))
    link = field.input_value()
    assert "sec=mining%2Ccashmere_wool_leather" in link or "sec=mining,cashmere" in link
    assert "z=" in link and "lon=" in link


def test_click_on_aimag_shows_profile(app_url, page):
    page.goto(f"{app_url}/?lang=en&lay=aimags")
    frame = map_frame(page)
    paths = aimag_paths(frame)
    assert wait_for(lambda: paths.count() == 22)
    click_aimag(frame, paths, "Ömnögovi")
    assert wait_for(lambda: page.get_by_text("Dalanzadgad").count() > 0), (
        "the profile of the clicked aimag did not appear"
    )
    assert wait_for(lambda: "sel=MN-053" in page.url)


def test_downloads_reopen_with_the_filtered_rows(app_url, page):
    page.goto(app_url + LINK)
    map_frame(page)
    firms = int(metric(page, "Firms").replace(",", "").replace(" ", ""))
    download = click_download(page, "Firms (CSV)")
    data = open(download.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows Cyrillic
    table = pd.read_csv(io.BytesIO(data))
    assert len(table) == firms
    assert set(table["sector"]) == {"mining", "cashmere_wool_leather"}
    assert {"cluster", "cluster_status", "lat", "lon", "precision"} <= set(table.columns)
    download = click_download(page, "Clusters (GeoJSON)")
    clusters = gpd.read_file(download.path())
    # every cluster, with its p-value; the headline counts the significant ones (issue 17)
    assert int(clusters["significant"].sum()) == int(metric(page, "Significant clusters"))
    assert clusters["p_value"].between(0, 1).all()
    meta = json.load(open(download.path(), encoding="utf-8"))["metadata"]
    assert (meta["significance"]["replicates"], meta["significance"]["seed"]) == (499, 17)
    assert meta["filters"]["sectors"] == ["mining", "cashmere_wool_leather"]
    assert "SYNTHETIC" in meta["source"]
    download = click_download(page, "Map (HTML, offline)")
    html = open(download.path(), encoding="utf-8").read()
    assert "<script src=" not in html and "leaflet" in html.lower()
    download = click_download(page, "Map (PNG, for slides)")
    from PIL import Image

    image = Image.open(download.path())
    assert image.format == "PNG" and image.size == (1920, 1080)
    # every other button: the file reopens with the filtered rows
    readers = {
        "Firms (XLSX)": lambda p: len(pd.read_excel(p, sheet_name="firms")),
        "Firms (GeoJSON)": lambda p: len(gpd.read_file(p)),
        "Firms (GeoPackage)": lambda p: len(gpd.read_file(p, layer="firms")),
        "Metadata (JSON)": lambda p: json.load(open(p, encoding="utf-8"))["rows"],
        "Clusters (GeoPackage)": lambda p: len(gpd.read_file(p, layer="clusters")),
    }
    for button, read in readers.items():
        download = click_download(page, button)
        expected = len(clusters) if button.startswith("Clusters") else firms
        assert read(download.path()) == expected, button


def test_language_switch_in_browser(app_url, page):
    page.goto(f"{app_url}/?lang=mn")
    page.get_by_text("Газрын зураг").first.wait_for(timeout=60_000)
    page.get_by_text("English").click()
    assert wait_for(lambda: page.get_by_role("heading", name="Map").count() > 0)
    assert "lang=en" in page.url


def test_statistics_choropleth_and_profile_on_click(app_url, page):
    page.goto(f"{app_url}/statistics?lang=en&ssec=mining")
    frame = map_frame(page)
    paths = aimag_paths(frame)
    assert wait_for(lambda: paths.count() == 22)
    fills = {paths.nth(i).get_attribute("fill") for i in range(22)}
    assert len(fills) >= 4, fills  # a classified choropleth
    legend = legend_text(frame)
    assert "Location quotient" in legend and "Mining" in legend
    click_aimag(frame, paths, "Ömnögovi")
    assert wait_for(lambda: page.get_by_text("Dalanzadgad").count() > 0)
    assert wait_for(lambda: page.get_by_text("Cluster portfolio").count() > 0)
    assert not page.page_errors, page.page_errors


def test_front_end_files_come_gzip_compressed_from_memory(app_url):
    """ui.serve puts ui.static_cache.StaticCache in front of Streamlit (first visits)."""
    import gzip
    import re
    import urllib.request

    page = urllib.request.urlopen(f"{app_url}/").read().decode()
    script = re.search(r'src="[^"]*?(static/js/[^"]+\.js)"', page).group(1)
    request = urllib.request.Request(f"{app_url}/{script}", headers={"Accept-Encoding": "gzip"})
    for _ in range(2):
        with urllib.request.urlopen(request) as response:
            body = response.read()
            assert response.headers["Content-Encoding"] == "gzip"
            assert "immutable" in response.headers["Cache-Control"]
            assert response.headers["ETag"] is None  # StaticCache's copy, not the file's
    plain = urllib.request.urlopen(f"{app_url}/{script}").read()
    assert gzip.decompress(body) == plain and len(body) < len(plain)
