"""Names on the map, as a person meets them: the aimags' names on the country view, the
capital's districts when zoomed in on it, the names in the page's language, and a click on
a name that selects the aimag under it (a name never catches the mouse)."""

from __future__ import annotations

from tests.browser.conftest import map_frame, no_failure_shown, settle, wait_for


def shown_names(frame, kind: str) -> list[str]:
    return frame.locator(f".cam-label-{kind} span").all_inner_texts()


def zoom_to(page, lat: float, lon: float, zoom: float) -> None:
    leaflet = next(f for f in page.frames if "streamlit_folium" in (f.url or ""))
    leaflet.evaluate(f"window.map.setView([{lat}, {lon}], {zoom}, {{animate: false}})")


def test_names_on_the_map_across_zoom_and_language(app_url, page):
    page.goto(f"{app_url}/?lang=en&lay=aimags,clusters")
    frame = map_frame(page)
    # the country view: aimag names, no district names
    assert wait_for(lambda: len(shown_names(frame, "aimag")) >= 15), shown_names(frame, "aimag")
    assert {"Ömnögovi", "Dornod", "Khövsgöl"} <= set(shown_names(frame, "aimag"))
    assert shown_names(frame, "district") == []
    # a name does not catch the mouse: a click on "Ömnögovi" selects the aimag under it
    settle(page)
    for _ in range(3):  # a click that fell in a rerun of the page: again
        frame = map_frame(page)
        box = frame.locator(".cam-label-aimag span", has_text="Ömnögovi").first.bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        if wait_for(lambda: "sel=MN-053" in page.url, timeout=20):
            break
    assert "sel=MN-053" in page.url, page.url
    assert wait_for(lambda: page.get_by_text("Dalanzadgad").count() > 0)
    # zoomed in on the capital: its districts are named, the aimags are not
    frame = map_frame(page)
    zoom_to(page, 47.92, 106.92, 11)
    assert wait_for(lambda: len(shown_names(frame, "district")) >= 4), shown_names(
        frame, "district"
    )
    assert "Khan-Uul" in shown_names(frame, "district") or "Bayangol" in shown_names(
        frame, "district"
    )
    assert shown_names(frame, "aimag") == []
    no_failure_shown(page)


def test_names_are_written_in_the_page_s_language(app_url, page):
    page.goto(f"{app_url}/?lang=mn&lay=aimags")
    frame = map_frame(page)
    assert wait_for(lambda: "Өмнөговь" in shown_names(frame, "aimag")), shown_names(frame, "aimag")
    page.get_by_text("English", exact=True).click()
    frame = map_frame(page)
    assert wait_for(lambda: "Ömnögovi" in shown_names(frame, "aimag"), timeout=60), (
        shown_names(frame, "aimag"),
        page.url,
        next(f for f in page.frames if "streamlit_folium" in (f.url or "")).evaluate(
            "[window.map.getZoom(), document.querySelector('details.cam-legend').open]"
        ),
    )
    no_failure_shown(page)
