"""The Data page in a browser: upload, map columns, geocode, fix an ambiguous row, save,
and find the dataset on the Map page."""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import map_frame
from tests.browser.test_map_browser import metric, wait_for

DATA = Path(__file__).resolve().parents[1] / "data"


def test_upload_geocode_fix_save_and_map(app_url, page):
    page.goto(f"{app_url}/data?lang=en")
    page.get_by_role("heading", name="Data").wait_for(timeout=60_000)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        str(DATA / "utf8_comma.csv"))
    assert wait_for(lambda: page.get_by_text("Read 7 rows, 6 columns.").count() > 0)
    assert wait_for(lambda: page.get_by_text("7 rows: 5 fine, 2 flagged").count() > 0)
    page.get_by_role("button", name="Geocode").click()
    assert wait_for(lambda: page.get_by_text("1 ambiguous").count() > 0, timeout=60)
    # fix the ambiguous "Хэрлэн сум": choose Kherlen of Dornod
    box = page.locator("[data-testid='stSelectbox']", has_text="Right unit").first
    box.click()
    page.keyboard.type("Хэрлэн, Дорнод")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Save the choices and geocode again").click()
    assert wait_for(lambda: page.get_by_text("0 ambiguous").count() > 0, timeout=60)
    page.get_by_label("Dataset name").fill("Test register")
    page.get_by_label("Dataset name").press("Enter")
    page.get_by_label("Saved by").fill("Bold")
    page.get_by_label("Saved by").press("Enter")
    save = page.get_by_role("button", name="Save", exact=True)
    assert wait_for(lambda: save.is_enabled())
    save.click()
    assert wait_for(lambda: page.get_by_text('Saved "test-register" (7 rows)').count() > 0)
    # the dataset opens on the map
    page.goto(f"{app_url}/?lang=en&ds=test-register")
    map_frame(page)
    assert metric(page, "Firms") == "7"
    assert wait_for(lambda: page.get_by_text("Dataset: Test register").count() > 0)
    assert not page.page_errors, page.page_errors
