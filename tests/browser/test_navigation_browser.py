"""Getting around, with the mouse: find a place, whole country, full screen, a cluster's
firms and their download, reset the filters; across pages, in both languages, on a phone."""

from __future__ import annotations

import csv
import io

from tests.browser.conftest import MAP_IFRAME, go_to, map_frame, no_failure_shown, settle, wait_for
from ui.i18n import t


def query(pg) -> str:
    return pg.evaluate("window.location.search")


def map_eval(pg, script: str):
    """``script`` evaluated in the map's frame (the newest, when a redraw left two)."""
    frames = [f for f in pg.frames if "streamlit_folium" in (f.url or "")]
    for frame in reversed(frames):
        try:
            return frame.evaluate(script)
        except Exception:  # a frame being replaced
            continue
    raise RuntimeError("no map frame")


def map_zoom(pg) -> float:
    try:
        return float(map_eval(pg, "window.map.getZoom()"))
    except Exception:  # the map being redrawn
        return -1.0


def search(pg, text: str, answer: str, lang: str = "en") -> None:
    box = pg.get_by_placeholder(t("search_place", lang))
    box.click()
    box.fill(text)
    box.press("Enter")
    button = pg.get_by_role("button", name=answer).first
    assert wait_for(lambda: button.count() > 0 and button.is_visible(), 30), text
    button.click()


def metric(pg, label: str) -> str:
    box = pg.locator("[data-testid='stMetric']", has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text()


def test_find_zoom_whole_country_cluster_firms_and_reset(app_url, page):
    page.goto(f"{app_url}/?lang=en&sec=mining")
    map_frame(page, 120)
    settle(page, 1.5)
    no_failure_shown(page)
    country_zoom = map_zoom(page)
    assert 3 < country_zoom < 6

    # a soum typed with a typo: the map goes there and its aimag is selected
    search(page, "Dalanzadgd", "Dalanzadgad · soum, Ömnögovi")
    assert wait_for(lambda: "sel=MN-053" in query(page), 30), query(page)
    map_frame(page)
    assert wait_for(lambda: map_zoom(page) >= 9, 30), map_zoom(page)
    centre = map_eval(page, "[window.map.getCenter().lat, window.map.getCenter().lng]")
    assert 43 < centre[0] < 44 and 104 < centre[1] < 105.2, centre
    assert page.get_by_role("heading", name="Ömnögovi").count() > 0
    no_failure_shown(page)

    # the map's own "whole country" button, then full screen and back
    frame = page.frame_locator(MAP_IFRAME).first
    frame.get_by_role("button", name=t("whole_country", "en")).click()
    assert wait_for(lambda: map_zoom(page) < 6, 10), map_zoom(page)
    inside = map_eval(
        page,
        """(function () { var b = window.map.getBounds();
        return b.contains([41.7, 88]) && b.contains([52.0, 119.8]); })()""",
    )
    assert inside
    frame.get_by_role("button", name=t("full_screen", "en")).click()
    assert wait_for(lambda: map_eval(page, "!!document.fullscreenElement"), 10)
    frame.get_by_role("button", name=t("full_screen", "en")).click()
    assert wait_for(lambda: not map_eval(page, "!!document.fullscreenElement"), 10)

    # "zoom to" the selected aimag
    page.get_by_role("button", name="Zoom to Ömnögovi").click()
    assert wait_for(lambda: 6 <= map_zoom(page) <= 8.5, 30), map_zoom(page)

    # a cluster from the list (the mouse on its row): its firms, to read and download
    settle(page, 1.5)
    firms_of = page.locator("[data-testid='stExpander']", has_text="Its firms (")
    for _try in range(3):  # a click that lands while the page reruns is lost: click again
        table = page.locator("[data-testid='stDataFrame']").first
        table.evaluate("e => e.scrollIntoView({block: 'center'})")  # clear of the header
        page.wait_for_timeout(300)
        box = table.bounding_box()
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
        if wait_for(lambda: firms_of.count() > 0, 15):
            break
    if not firms_of.count():
        page.screenshot(path="/tmp/nav_fail.png", full_page=True)
    assert firms_of.count() > 0
    label = firms_of.first.locator("summary").inner_text()
    n = int(label.split("(")[1].split(")")[0])
    assert n >= 2
    firms_of.first.locator("summary").click()
    with page.expect_download() as caught:
        page.get_by_role("button", name=t("cluster_firms_csv", "en")).click()
    download = caught.value
    assert download.suggested_filename.startswith("cluster_atlas_demo_synthetic_cluster_")
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert len(rows) == n
    assert {r["sector"] for r in rows} == {"mining"}
    page.get_by_role("button", name=t("zoom_to_cluster", "en")).click()
    assert wait_for(lambda: map_zoom(page) >= 8, 30), map_zoom(page)
    no_failure_shown(page)

    # reset all filters: every firm again, the sectors empty, the URL without them
    assert metric(page, "Firms") != "20,400"
    page.get_by_role("button", name=t("reset_filters", "en")).click()
    assert wait_for(lambda: metric(page, "Firms") == "20,400", 30)
    assert "sec=" not in query(page)

    # across pages and back: the selection and the map's place kept
    go_to(page, t("page_stats", "en"))
    assert "sel=MN-053" in query(page)
    go_to(page, t("page_map", "en"))
    map_frame(page)
    assert wait_for(lambda: "sel=MN-053" in query(page), 20)
    no_failure_shown(page)


def test_find_a_district_in_mongolian_on_a_phone(app_url, browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        pg.goto(f"{app_url}/?lang=mn")
        map_frame(pg, 120)
        settle(pg, 1.5)
        search(pg, "Khan Uul", "Хан-Уул · дүүрэг, Улаанбаатар", lang="mn")
        assert wait_for(lambda: "sel=MN-1" in query(pg), 30), query(pg)
        assert wait_for(lambda: map_zoom(pg) >= 10, 30), map_zoom(pg)
        # the selected district's profile (figures) does not put the map beside the list
        settle(pg, 1.0)
        width = pg.locator(MAP_IFRAME).first.bounding_box()["width"]
        assert width > 0.85 * 390, width
        pg.get_by_placeholder(t("search_place", "mn")).fill("qqqqqq")
        pg.get_by_placeholder(t("search_place", "mn")).press("Enter")
        assert wait_for(lambda: pg.get_by_text("“qqqqqq”").count() > 0, 20)
        assert pg.locator("[data-testid='stException']").count() == 0
        assert not errors, errors
    finally:
        context.close()
