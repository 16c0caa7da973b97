"""Official boundaries in a browser: an editor loads the official file on the Data page,
reads the checks' report, uses them; the Map and Statistics pages say "official", and so
does an export's metadata; going back to the embedded boundaries says "generalised" again.

The official file is read from ../shared at run time (never committed); the journey is
skipped, saying why, without it.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.browser.conftest import go_to, map_frame, no_failure_shown
from tests.browser.test_map_browser import click_download, wait_for
from ui.i18n import t


def caption_start(key: str, lang: str) -> str:
    """The fixed words a caption starts with (before any name filled in)."""
    return t(key, lang).split("{")[0].split("(")[0].strip()


def open_boundaries_tab(page, app_url, lang):
    page.goto(f"{app_url}/data?lang={lang}")
    page.get_by_role("heading", name=t("page_data", lang)).wait_for(timeout=60_000)
    page.get_by_role("tab", name=t("tab_boundaries", lang)).click()
    assert wait_for(lambda: page.get_by_text(t("boundaries_in_use", lang)).count() > 0)


@pytest.mark.parametrize("lang", ["en", "mn"])
def test_editor_loads_official_boundaries_and_every_page_says_so(
    app_url, page, lang, official_file, workspace_dir
):
    from geo.workspace import Workspace

    store = Workspace(workspace_dir / "workspace.sqlite")
    try:
        open_boundaries_tab(page, app_url, lang)
        # the upload is asked for: until then the page holds the import's one file input
        assert page.locator("[data-testid='stFileUploader']").count() == 1
        generalised = caption_start("boundaries_caption_generalised", lang)
        assert page.get_by_text(generalised).count() > 0
        page.get_by_text(t("boundaries_load", lang)).click()
        uploader = page.locator(
            "[data-testid='stFileUploader']", has_text=t("boundaries_upload", lang)
        )
        uploader.locator("input[type='file']").set_input_files(str(official_file))
        name = page.get_by_role("textbox", name=t("boundaries_name", lang), exact=True)
        name.fill("NSO COD-AB 2024")
        name.press("Enter")
        check = page.get_by_role("button", name=t("boundaries_check", lang))
        assert wait_for(lambda: check.count() > 0 and check.is_enabled())
        time.sleep(0.5)
        check.click()
        # the report: every check listed, the three joins by name, accepted
        assert wait_for(
            lambda: page.get_by_text(t("boundaries_accepted", lang)).count() > 0, timeout=90
        )
        body = page.locator("[data-testid='stMain']").inner_text()
        assert t("bcheck_coverage_ok", lang).format(total=339) in body
        assert "8340 Cengel" in body and "8337 Цэнгэл" in body  # joined by name
        assert t("bcheck_overlaps_none", lang) in body
        page.screenshot(path=str(workspace_dir / f"boundaries_report_{lang}.png"), full_page=True)
        no_failure_shown(page)
        page.get_by_role("button", name=t("boundaries_use", lang)).click()
        assert wait_for(
            lambda: page.get_by_text(t("boundaries_saved", lang)).count() > 0, timeout=90
        )
        official = caption_start("boundaries_caption_official", lang)
        assert wait_for(lambda: page.get_by_text(official).count() > 0)
        assert store.boundaries() is not None
        no_failure_shown(page)

        # the Map says "official", draws 22 aimags, and its export's metadata says so
        go_to(page, t("page_map", lang))
        map_frame(page, timeout=120)
        assert wait_for(
            lambda: (
                page.get_by_text(re.compile(re.escape(official) + r".*NSO COD\-AB 2024")).count()
                > 0
            ),
            timeout=90,
        )
        download = click_download(page, t("metadata_json", lang))
        meta = json.loads(open(download.path(), encoding="utf-8").read())
        assert meta["boundaries"]["kind"] == "official"
        assert meta["boundaries"]["name"] == "NSO COD-AB 2024"
        assert "NSO COD-AB 2024" in meta["attribution"]
        no_failure_shown(page)

        # Statistics says "official" under its map
        go_to(page, t("page_stats", lang))
        assert wait_for(lambda: page.get_by_text(official).count() > 0, timeout=90)
        no_failure_shown(page)

        # back to the embedded boundaries: the pages say "generalised" again
        open_boundaries_tab(page, app_url, lang)
        page.get_by_role("button", name=t("boundaries_remove", lang)).click()
        assert wait_for(
            lambda: page.get_by_text(t("boundaries_removed", lang)).count() > 0, timeout=60
        )
        go_to(page, t("page_map", lang))
        map_frame(page, timeout=120)
        assert wait_for(lambda: page.get_by_text(generalised).count() > 0, timeout=90)
        download = click_download(page, t("metadata_json", lang))
        meta = json.loads(open(download.path(), encoding="utf-8").read())
        assert meta["boundaries"]["kind"] == "generalised"
        no_failure_shown(page)
    finally:
        store.clear_boundaries(saved_by="test cleanup")  # other journeys see the default
