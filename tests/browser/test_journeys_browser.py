"""Journeys, as people walk them, with the mouse, in a real browser (issue 14).

Each journey strings steps together across pages and fails on any Streamlit
exception box, the app's own failure message, a page error or a dialog
(``no_failure_shown``).
"""

from __future__ import annotations

import time

from tests.browser.conftest import (
    MAP_IFRAME,
    click_map_at,
    go_to,
    map_frame,
    no_failure_shown,
    settle,
    wait_for,
)
from ui.i18n import t

EN = "en"


def query(pg) -> str:
    return pg.evaluate("window.location.search")


def nav(pg, page_title: str) -> None:
    go_to(pg, page_title)  # each page's heading is its name in the navigation
    settle(pg, 0.7)
    no_failure_shown(pg)


def choose(pg, label: str, option: str, where=None) -> None:
    """Open the select box or multiselect labelled ``label`` and click ``option``."""
    root = where or pg
    box = root.locator(
        "[data-testid='stSelectbox'], [data-testid='stMultiSelect']", has_text=label
    ).first
    box.locator("input").first.click()
    pg.keyboard.type(option.split()[0][:5])  # the list scrolls; typing narrows it
    pg.locator("[role='option']", has_text=option).first.click()
    settle(pg)
    no_failure_shown(pg)


def pick(pg, group: str, option: str) -> None:
    """Click the radio button ``option`` of the group labelled ``group``."""
    radio = pg.locator("[data-testid='stRadio']", has_text=group).first
    radio.locator("label", has_text=option).first.click()
    settle(pg)
    no_failure_shown(pg)


def selected_chips(pg, label: str) -> list[str]:
    box = pg.locator("[data-testid='stMultiSelect']", has_text=label).first
    return [c.strip() for c in box.locator("[data-tag]").all_inner_texts()]


def frame_eval(pg, script: str):
    frame = next(f for f in pg.frames if "streamlit_folium" in (f.url or ""))
    return frame.evaluate(script)


def test_officer_walks_map_statistics_and_back(app_url, page):
    """Open a link, change sectors, click an aimag once, go to Statistics and back,
    change level and indicator, come back: every choice kept."""
    page.goto(f"{app_url}/?lang=en&sec=mining,cashmere_wool_leather&eps=2&min=10")
    map_frame(page)
    settle(page, 2)
    no_failure_shown(page)
    side = page.locator("section[data-testid='stSidebar']")
    choose(page, t("sectors", EN), "Tourism", where=side)
    chips = selected_chips(page, t("sectors", EN))
    assert len(chips) == 3 and any("Tourism" in c for c in chips)
    assert "tourism" in query(page)
    # one click on Dornogovi selects it (the first click used to be lost)
    map_frame(page)
    settle(page, 1.5)
    click_map_at(page, 43.8, 109.5)
    assert wait_for(lambda: "sel=MN-063" in query(page), 20), query(page)
    assert wait_for(lambda: page.get_by_role("heading", name="Dornogovi").count() > 0)
    no_failure_shown(page)
    before = query(page)

    nav(page, t("page_stats", EN))
    assert "ds=" not in query(page) or "ds=demo" not in query(page)
    assert "sel=MN-063" in query(page)  # the selection travels with the view
    assert page.get_by_role("heading", name="Dornogovi").count() > 0
    pick(page, t("level", EN), t("level_region", EN))
    choose(page, t("indicator_stats", EN), t("ind_employees_per_10k", EN))
    assert "slvl=region" in query(page) and "sind=employees_per_10k" in query(page)

    nav(page, t("page_map", EN))
    map_frame(page)
    settle(page, 1.5)
    assert len(selected_chips(page, t("sectors", EN))) == 3
    for part in ("sec=", "tourism", "sel=MN-063"):
        assert part in query(page), (part, query(page))
    assert "eps=0.05" not in query(page) and "clu=0" not in query(page)
    assert page.get_by_role("heading", name="Dornogovi").count() > 0
    frame = page.frame_locator(MAP_IFRAME).first
    assert wait_for(lambda: frame.locator("path.cam-cluster").count() > 0)
    assert {k for k in before.split("&") if not k.startswith(("?lat", "lat", "lon", "z"))} <= {
        k for k in query(page).split("&")
    } | {before.split("&")[0]}

    nav(page, t("page_stats", EN))
    radio = page.locator("[data-testid='stRadio']", has_text=t("level", EN)).first
    assert radio.locator("input[type='radio']:checked").count() == 1
    assert wait_for(
        lambda: "slvl=region" in query(page) and "sind=employees_per_10k" in query(page)
    )
    box = page.locator("[data-testid='stSelectbox']", has_text=t("indicator_stats", EN)).first
    assert box.locator("input").first.input_value() == t("ind_employees_per_10k", EN)
    no_failure_shown(page)

    # Back returns to the Map within two presses (the page link's own entry, then the
    # page's URL; moving the map adds none: a page visit took five before)
    for _press in (1, 2):
        page.go_back()
        settle(page, 1.5)
        if page.evaluate("window.location.pathname") in ("/", "/map"):
            break
    assert page.evaluate("window.location.pathname") in ("/", "/map"), page.url
    map_frame(page)
    no_failure_shown(page)

    # the language changes mid-journey: nothing chosen is lost (a multiselect reports its
    # choice by the labels it showed, which the other language does not have)
    page.locator("section[data-testid='stSidebar'] label", has_text="Монгол").first.click()
    settle(page, 2)
    no_failure_shown(page)
    assert len(selected_chips(page, t("sectors", "mn"))) == 3
    assert len(selected_chips(page, t("layers", "mn"))) == 3
    assert "lay=" not in query(page) and "lang=en" not in query(page)  # mn: the default
    assert wait_for(
        lambda: page.frame_locator(MAP_IFRAME).first.locator("path.cam-cluster").count() > 0
    )
    assert page.external_requests == [], page.external_requests


def test_presenter_saves_steps_shares_and_leaves(app_url, page, browser):
    """Save two views at different centres, step through them in presenter mode, copy
    the link, leave presenter mode; the link opened elsewhere is not in presenter mode."""
    page.goto(f"{app_url}/?lang=en&sec=mining&lat=44.5&lon=105&z=6")
    map_frame(page)
    settle(page, 2)
    side = page.locator("section[data-testid='stSidebar']")
    side.get_by_text(t("saved_views", EN)).first.click()
    field = side.get_by_label(t("view_name", EN))

    def save(name: str) -> None:
        field.fill(name)
        field.press("Tab")
        settle(page, 0.3)
        side.get_by_role("button", name=t("save_view", EN)).click()
        settle(page)
        no_failure_shown(page)

    save("Gobi mining")
    assert wait_for(lambda: abs(frame_eval(page, "window.map.getZoom()") - 6) < 0.01)
    # zoom out twice with the map's own button: another centre and zoom
    page.frame_locator(MAP_IFRAME).first.locator("a.leaflet-control-zoom-out").click()
    time.sleep(0.6)
    page.frame_locator(MAP_IFRAME).first.locator("a.leaflet-control-zoom-out").click()
    settle(page, 1.5)
    assert wait_for(lambda: "z=4" in query(page)), query(page)
    save("Whole country")

    side.get_by_text(t("presenter", EN), exact=True).click()
    settle(page, 1.5)
    assert "pres=1" in query(page)
    step = page.get_by_role("button", name=f"{t('next_view', EN)}: Gobi mining")
    step.click()  # a mouse click: the button is not under the header
    settle(page, 2)
    no_failure_shown(page)
    map_frame(page)
    assert wait_for(lambda: abs(frame_eval(page, "window.map.getZoom()") - 6) < 0.01), frame_eval(
        page, "window.map.getZoom()"
    )
    page.get_by_role("button", name=f"{t('next_view', EN)}: Whole country").click()
    settle(page, 2)
    map_frame(page)
    assert wait_for(lambda: abs(frame_eval(page, "window.map.getZoom()") - 4) < 0.01)
    assert "pres=1" in query(page)

    # the map's Link control: a link for the room, not in presenter mode
    frame = page.frame_locator(MAP_IFRAME).first
    frame.locator(".cam-link a").click()
    link = frame.locator("input.cam-link-url").input_value()
    assert "pres" not in link and "sec=mining" in link

    page.get_by_role("button", name=t("presenter_exit", EN)).click()
    settle(page, 1.5)
    no_failure_shown(page)
    assert "pres" not in query(page)
    assert page.get_by_role("button", name=t("presenter_exit", EN)).count() == 0

    other = browser.new_context(viewport={"width": 1200, "height": 900})
    participant = other.new_page()
    participant.goto(link)
    participant.frame_locator(MAP_IFRAME).first.locator(".leaflet-container").wait_for(
        timeout=60_000
    )
    settle(participant, 1.5)
    assert participant.get_by_role("button", name=t("presenter_exit", EN)).count() == 0
    assert participant.locator("[data-testid='stException']").count() == 0
    other.close()


def test_participant_on_a_phone_sees_the_country_and_scrolls_past_the_map(app_url, browser):
    """390 x 844, touch: the map starts on the first screen, the whole country shows,
    and a one-finger swipe over the map scrolls the page."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    # a link without a view, and one made on a wide screen (zoom 4.75 fits a laptop)
    for lang, view in (("mn", ""), ("en", "&lat=47.5608&lon=103.825&z=4.75")):
        pg.goto(f"{app_url}/?lang={lang}&sec=mining{view}")
        pg.frame_locator(MAP_IFRAME).first.locator(".leaflet-container").wait_for(timeout=60_000)
        settle(pg, 2)
        box = pg.locator(MAP_IFRAME).first.bounding_box()
        assert box["y"] < 844 * 0.62, box  # the map starts on the first screen
        inside = frame_eval(
            pg,
            """(function () {
            var b = window.map.getBounds();
            return b.contains([41.6, 87.75]) && b.contains([52.15, 119.9]); })()""",
        )
        assert inside, frame_eval(pg, "JSON.stringify(window.map.getBounds())")
        # ... and the whole country is on the first screen, not only inside the map
        south = frame_eval(pg, "window.map.latLngToContainerPoint([41.6, 105]).y")
        assert box["y"] + south < 844, (box, south)
        assert frame_eval(pg, "window.map.dragging.enabled()") is False
        legend_open = frame_eval(pg, "document.querySelector('details.cam-legend').open")
        assert legend_open is False
        scale = frame_eval(pg, "document.querySelector('.leaflet-control-scale-line').textContent")
        assert scale.endswith("км" if lang == "mn" else "km"), scale
    # a one-finger swipe up, starting on the map, scrolls the page
    scroller = "document.querySelector('[data-testid=\"stMain\"]') || document.scrollingElement"
    top = pg.evaluate(f"({scroller}).scrollTop")
    box = pg.locator(MAP_IFRAME).first.bounding_box()
    cdp = context.new_cdp_session(pg)
    x, y0 = box["x"] + box["width"] / 2, min(box["y"] + 300, 780)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y0}]})
    for i in range(1, 13):
        cdp.send(
            "Input.dispatchTouchEvent",
            {"type": "touchMove", "touchPoints": [{"x": x, "y": y0 - 25 * i}]},
        )
        time.sleep(0.016)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    time.sleep(1)
    assert pg.evaluate(f"({scroller}).scrollTop") > top + 100
    assert not errors, errors
    assert pg.locator("[data-testid='stException']").count() == 0
    context.close()
