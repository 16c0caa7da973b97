"""What a person sees in a real browser: the map of the 22 aimags, offline."""

from __future__ import annotations

import time

from tests.browser.conftest import map_frame


def wait_for(predicate, timeout=30.0, step=0.3):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def test_map_shows_22_aimags_offline(app_url, page):
    page.goto(f"{app_url}/?lang=en")
    frame = map_frame(page)
    shapes = frame.locator("path.leaflet-interactive")
    assert wait_for(lambda: shapes.count() >= 22)
    assert shapes.count() == 22
    assert page.external_requests == [], page.external_requests
    assert not page.page_errors, page.page_errors


def test_click_on_aimag_shows_profile(app_url, page):
    page.goto(f"{app_url}/?lang=en")
    frame = map_frame(page)
    # Ömnögovi is the large southern aimag: click inside it
    frame.locator("path.leaflet-interactive").nth(0).wait_for()
    target = None
    for i in range(frame.locator("path.leaflet-interactive").count()):
        path = frame.locator("path.leaflet-interactive").nth(i)
        path.hover(force=True)
        tip = frame.locator(".leaflet-tooltip")
        if tip.count() and "Ömnögovi" in tip.first.inner_text():
            target = path
            break
    assert target is not None, "no tooltip named Ömnögovi"
    target.click(force=True)
    assert wait_for(lambda: page.get_by_text("Dalanzadgad").count() > 0), \
        "the profile of the clicked aimag did not appear"


def test_language_switch_in_browser(app_url, page):
    page.goto(f"{app_url}/?lang=mn")
    page.get_by_text("Газрын зураг").first.wait_for()
    page.get_by_text("English").click()
    assert wait_for(lambda: page.get_by_role("heading", name="Map").count() > 0)
    assert "lang=en" in page.url
