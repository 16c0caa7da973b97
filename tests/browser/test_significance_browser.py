"""Is it a cluster? The p-values as a person meets them (issue 17), in a real browser.

The journey: the Map lists each cluster's p-value with a tick for the significant
ones and draws the others dashed; the switch hides them (and the link says so);
Statistics shows the sector's K-density with its sentence; back on the Map the
switch is still on. Fails on any exception box, the app's failure message, a
page error or a dialog.
"""

from __future__ import annotations


from tests.browser.conftest import go_to, map_frame, no_failure_shown, settle, wait_for
from ui.i18n import t

LINK = "/?lang=en&sec=mining,services,cashmere_wool_leather"


def metric(pg, label: str) -> str:
    box = pg.locator("[data-testid='stMetric']", has_text=label).first
    box.wait_for(timeout=90_000)
    return box.locator("[data-testid='stMetricValue']").inner_text()


def listed(pg) -> list[tuple[bool, float]]:
    """(ticked, p-value) of the rows the cluster list shows, from its accessible table."""
    table = pg.locator("[data-testid='stDataFrame']").first
    header = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    # a cell's column is its header's aria-colindex (column 0 holds the row selection)
    tick, p = header.index("Significant") + 1, header.index("p-value") + 1
    rows = []
    for r in range(6):
        cell = table.locator(f"#glide-cell-{p}-{r}")
        if not cell.count():
            break
        rows.append(
            (
                table.locator(f"#glide-cell-{tick}-{r}").inner_text().strip() == "true",
                float(cell.inner_text()),
            )
        )
    return rows


def test_significance_journey(app_url, page):
    page.goto(app_url + LINK)
    frame = map_frame(page, 120)
    settle(page)
    no_failure_shown(page)
    significant = int(metric(page, "Significant clusters"))
    outlines = frame.locator("path.cam-cluster")
    dashed = frame.locator("path.cam-cluster[stroke-dasharray]")
    assert wait_for(lambda: outlines.count() > significant > 0)
    total = outlines.count()
    assert dashed.count() == total - significant  # could be chance: dashed
    # the list: a p-value for every cluster, ticked when significant (p at most 0.05/18)
    assert wait_for(lambda: len(listed(page)) >= 4)
    rows = listed(page)
    assert all(0 < p <= 1 for _, p in rows)
    assert all(p <= 0.05 for ticked, p in rows if ticked)
    assert any(ticked for ticked, _ in rows)
    assert page.get_by_text("499 relabellings, seed 17").count() > 0
    # a solid outline's tooltip gives its p-value
    # (the first outline the mouse can reach: one may lie under the legend or another outline)
    solid = frame.locator("path.cam-cluster:not([stroke-dasharray])")
    tip = frame.locator(".leaflet-tooltip")
    for i in range(min(solid.count(), 10)):
        solid.nth(i).hover(force=True)
        if wait_for(lambda: tip.count() > 0 and "p-value" in tip.first.inner_text(), 5):
            break
    assert tip.count() > 0 and "p-value" in tip.first.inner_text()

    # the switch hides what could be chance, and the link carries it
    side = page.locator("[data-testid='stSidebar']")
    switch = side.get_by_text(t("significant_only", "en"))
    switch.scroll_into_view_if_needed()
    switch.click()
    assert wait_for(lambda: "sig=1" in page.evaluate("window.location.search"))
    settle(page)
    frame = map_frame(page)
    assert wait_for(lambda: frame.locator("path.cam-cluster").count() == significant)
    assert frame.locator("path.cam-cluster[stroke-dasharray]").count() == 0
    assert int(metric(page, "Significant clusters")) == significant  # the same figure
    assert (
        page.get_by_text(f"{total - significant} clusters that could be chance are hidden").count()
        > 0
    )
    assert all(ticked for ticked, _ in listed(page))
    no_failure_shown(page)

    # Statistics: the first sector's K-density, its sentence and the table of sectors
    go_to(page, "Statistics")
    settle(page)
    sentence = page.get_by_text("Mining and mining services: localised up to")
    assert wait_for(lambda: sentence.count() > 0, 120)
    assert "p ≤ 0.01" in sentence.first.inner_text()
    assert wait_for(lambda: page.locator("[data-testid='stVegaLiteChart']").count() >= 2)
    assert page.get_by_text("Sectors by localisation").count() > 0
    no_failure_shown(page)

    # back on the Map: the switch is still on, the same clusters shown
    go_to(page, "Map")
    settle(page)
    frame = map_frame(page)
    assert "sig=1" in page.evaluate("window.location.search")
    toggle = side.locator("[data-testid='stCheckbox']", has_text=t("significant_only", "en"))
    assert toggle.locator("input").first.is_checked()
    assert wait_for(lambda: frame.locator("path.cam-cluster").count() == significant)
    no_failure_shown(page)


def test_significance_in_mongolian_on_a_phone(app_url, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.page_errors, pg.dialogs = errors, []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    try:
        pg.goto(app_url + "/?lang=mn&sec=mining,services&sig=1")
        frame = map_frame(pg, 120)
        settle(pg)
        value = int(metric(pg, t("significant_clusters", "mn")))
        assert wait_for(lambda: frame.locator("path.cam-cluster").count() == value > 0)
        no_failure_shown(pg)
        pg.goto(app_url + "/statistics?lang=mn&ssec=mining")
        settle(pg)
        assert wait_for(lambda: pg.get_by_text("км хүртэл төвлөрсөн").count() > 0, 120)
        no_failure_shown(pg)
    finally:
        context.close()
