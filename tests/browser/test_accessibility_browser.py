"""An accessibility scan of every page (axe-core, shipped with the tests; no network).

axe-core 4.12 (bundled by axe-playwright-python) checks each page of the app, in both
languages, and the map inside its frame. A serious or critical violation fails the test
with the rule, its help text and the elements it found.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import MAP_IFRAME, map_frame, no_failure_shown, settle, wait_for

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

PAGES = [("map", "Cluster map"), ("statistics", None), ("data", None), ("methods", None)]
BLOCKING = ("serious", "critical")


def blocking_violations(target) -> list[str]:
    """axe's serious and critical violations in ``target`` (a page or a frame), as lines."""
    results = axe_playwright.Axe().run(target, options={"resultTypes": ["violations"]})
    lines = []
    for v in results.response["violations"]:
        if v.get("impact") in BLOCKING:
            nodes = "; ".join(
                f"{' '.join(n.get('target', []))[-80:]} [{n.get('failureSummary', '')}]"
                for n in v["nodes"][:5]
            )
            lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {nodes}")
    return lines


@pytest.mark.parametrize("lang", ["en", "mn"])
def test_every_page_has_no_serious_accessibility_violation(app_url, page, lang):
    found: dict[str, list[str]] = {}
    for path, _ in PAGES:
        page.goto(f"{app_url}/{path}?lang={lang}")
        page.wait_for_selector("[data-testid='stSidebarNav']", timeout=60_000)
        assert wait_for(lambda: page.get_by_role("heading").count() > 0, 60)
        settle(page, 1.5)
        # elements of an earlier run fade while the page reruns: scan what a person reads
        assert wait_for(lambda: page.locator("[data-stale='true']").count() == 0, 60)
        if path == "map":
            map_frame(page)
            assert wait_for(
                lambda: page.frame_locator(MAP_IFRAME).locator(".leaflet-interactive").count() > 0,
                60,
            )
            frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()
            found["map frame"] = blocking_violations(frame)
        found[path] = blocking_violations(page)
        no_failure_shown(page)
    problems = {where: lines for where, lines in found.items() if lines}
    assert not problems, "\n".join(
        f"{where}: {line}" for where, lines in problems.items() for line in lines
    )
