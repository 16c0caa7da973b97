"""Related sectors and a cluster's ecosystem (issue 18) as a person meets them, in a real
browser.

The journey: Statistics shows the co-location section (heat map, related pairs, super-cluster
candidates) in Mongolian and in English; the radius changes and the link says so; back on
the Map a cluster chosen in the list shows its ecosystem, and the super-cluster layer
draws the candidates' outlines. Fails on any exception box, the
app's failure message, a page error or a dialog.
"""

from __future__ import annotations

from tests.browser.conftest import go_to, map_frame, no_failure_shown, settle, wait_for
from ui.i18n import t


def query(pg) -> str:
    return pg.evaluate("window.location.search")


def shown(pg, text: str) -> bool:
    return pg.get_by_text(text).count() > 0


def test_related_sectors_and_ecosystem_journey(app_url, page):
    page.goto(f"{app_url}/?lang=mn&sec=ict")
    map_frame(page, 120)
    settle(page)
    go_to(page, t("page_stats", "mn"))
    heading = page.get_by_role("heading", name=t("co_title", "mn"))
    assert wait_for(lambda: heading.count() > 0, 120)
    settle(page)
    no_failure_shown(page)
    assert wait_for(lambda: shown(page, t("co_related_title", "mn")), 60)
    assert page.locator("[data-testid='stVegaLiteChart']").count() >= 2  # heat map too
    assert shown(page, t("sc_title", "mn"))
    assert shown(page, "Уул уурхайн туслах үйлчилгээ")

    # English: the same section, its words
    page.locator("section[data-testid='stSidebar'] label", has_text="English").first.click()
    settle(page, 1.5)
    assert wait_for(lambda: page.get_by_role("heading", name=t("co_title", "en")).count() > 0, 120)
    no_failure_shown(page)
    assert wait_for(lambda: shown(page, "Mining support services"), 60)
    assert shown(page, "seed 17")

    # the radius: 2 km, in the link, the caption still there
    slider = page.locator("[data-testid='stSlider']", has_text=t("co_radius", "en")).first
    slider.scroll_into_view_if_needed()
    thumb = slider.get_by_role("slider").first
    thumb.focus()
    thumb.press("ArrowRight")
    settle(page, 1.5)
    assert wait_for(lambda: "crad=2" in query(page), 60), query(page)
    assert wait_for(lambda: shown(page, t("co_related_title", "en")), 120)
    no_failure_shown(page)

    # back to the Map: choose the largest ICT cluster in the list, see its ecosystem
    go_to(page, t("page_map", "en"))
    map_frame(page, 120)
    settle(page, 1.5)
    table = page.locator("[data-testid='stDataFrame']").first
    table.scroll_into_view_if_needed()
    assert wait_for(lambda: table.locator("#glide-cell-1-0").count() > 0, 60)
    # the first row's marker (the grid's selection column, drawn on a canvas): below the
    # header row, at the left edge
    box = table.bounding_box()
    page.mouse.move(box["x"] + 15, box["y"] + 35 + 17)
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)
    assert wait_for(lambda: "cl=" in query(page), 60), query(page)
    settle(page, 1.5)
    assert wait_for(lambda: shown(page, t("eco_title", "en")), 60)
    assert shown(page, t("inst_research", "en")) and shown(page, t("eco_inside", "en"))
    no_failure_shown(page)

    # the super-cluster layer: the candidates' dashed outlines on the map
    page.goto(f"{app_url}/?lang=en&sec=mining&lay=aimags,clusters,superclusters")
    frame = map_frame(page, 120)
    settle(page, 1.5)
    assert wait_for(lambda: frame.locator("path.cam-supercluster").count() > 0, 120)
    no_failure_shown(page)
    assert page.external_requests == [], page.external_requests
