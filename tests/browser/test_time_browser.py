"""Clusters in time (issue 18) in a real browser: a link with a year opens that year; Play,
pressed with the mouse, steps the years and the clusters change; Stop holds the year;
Statistics and back keep it; the same in Mongolian. Fails on any exception box, the app's
failure message, a page error or a dialog."""

from __future__ import annotations

import time

from tests.browser.conftest import go_to, map_frame, no_failure_shown, settle, wait_for
from ui.i18n import t

SECTORS = "sec=ict,construction_materials,logistics,mining"


def year_shown(pg, lang: str) -> str:
    """The year on the "as of year" slider, as it reads."""
    slider = pg.locator("[data-testid='stSlider']", has_text=t("as_of_year", lang)).first
    return slider.locator("[data-testid='stSliderThumbValue']").first.inner_text().strip()


def clusters_shown(pg) -> str:
    """The cluster figure above the map (the third metric)."""
    return pg.locator("[data-testid='stMetricValue']").nth(2).inner_text().strip()


def query(pg) -> str:
    return pg.evaluate("window.location.search")


def play_and_watch(pg, lang: str, steps: int = 3, timeout: float = 150) -> list[tuple[int, str]]:
    """Press Play with the mouse; note (year, clusters) until ``steps`` years have passed."""
    button = pg.get_by_role("button", name=t("time_play", lang))
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    pg.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    pg.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    seen: list[tuple[int, str]] = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            year = int(year_shown(pg, lang))
            count = clusters_shown(pg)
        except Exception:  # redrawn meanwhile
            time.sleep(0.2)
            continue
        if not seen or seen[-1] != (year, count):  # the page runs all along meanwhile
            seen.append((year, count))
        if len({y for y, _ in seen}) > steps and len({c for _, c in seen}) > 1:
            break
        time.sleep(0.2)
    return seen


def stop(pg, lang: str) -> int:
    pg.get_by_role("button", name=t("time_stop", lang)).click()
    settle(pg, 1.0)
    return int(year_shown(pg, lang))


def test_play_the_years_in_english(app_url, page):
    page.goto(f"{app_url}/?lang=en&yr=2009&{SECTORS}")
    map_frame(page, 120)
    settle(page, 1.5)
    no_failure_shown(page)
    assert year_shown(page, "en") == "2009"
    assert "yr=2009" in query(page)
    seen = play_and_watch(page, "en")
    years = [y for y, _ in seen]
    assert len(set(years)) >= 4 and years == sorted(years), seen
    assert years[-1] >= 2012
    assert len({c for _, c in seen}) > 1, seen  # the clusters change
    held = stop(page, "en")
    time.sleep(4)  # two ticks: no step after Stop
    assert int(year_shown(page, "en")) == held
    assert wait_for(lambda: f"yr={held}" in query(page), 20), query(page)
    no_failure_shown(page)

    go_to(page, t("page_stats", "en"))
    assert f"yr={held}" in query(page)
    no_failure_shown(page)
    go_to(page, t("page_map", "en"))
    map_frame(page, 120)
    settle(page, 1.5)
    assert year_shown(page, "en") == str(held)
    assert f"yr={held}" in query(page)
    no_failure_shown(page)


def test_a_link_with_a_year_in_mongolian(app_url, page):
    page.goto(f"{app_url}/?lang=mn&yr=2014&{SECTORS}")
    map_frame(page, 120)
    settle(page, 1.5)
    no_failure_shown(page)
    assert year_shown(page, "mn") == "2014"
    seen = play_and_watch(page, "mn")
    assert len({y for y, _ in seen}) >= 4, seen
    stop(page, "mn")
    no_failure_shown(page)
