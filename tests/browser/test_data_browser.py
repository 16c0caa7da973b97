"""The Data page in a browser: upload, map columns, geocode, fix an ambiguous row, save,
and find the dataset on the Map page."""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import map_frame, save_dataset
from tests.browser.test_map_browser import metric, wait_for

DATA = Path(__file__).resolve().parents[1] / "data"


def test_upload_geocode_fix_save_and_map(app_url, page):
    page.goto(f"{app_url}/data?lang=en")
    page.get_by_role("heading", name="Data").wait_for(timeout=60_000)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        str(DATA / "utf8_comma.csv")
    )
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
    save_dataset(page, "Test register", "Bold", 'Saved "test-register" (7 rows)')
    # the dataset opens on the map
    page.goto(f"{app_url}/?lang=en&ds=test-register")
    map_frame(page)
    assert metric(page, "Firms") == "7"
    assert wait_for(lambda: page.get_by_text("Dataset: Test register").count() > 0)
    assert not page.page_errors, page.page_errors


def test_an_unmatched_address_placed_by_clicking_the_map(app_url, page, tmp_path, workspace_dir):
    from geo.workspace import Workspace
    from tests.browser.test_map_browser import aimag_paths, click_aimag

    register = tmp_path / "street_addresses.csv"
    register.write_text(
        "name,sector,employees,address\n"
        'Modny Khoyor LLC,G,4,"Их тойруу 15, Модны 2"\n'
        'Khanbogd Service,B,12,"Өмнөговь аймаг, Ханбогд сум"\n',
        encoding="utf-8",
    )
    page.goto(f"{app_url}/data?lang=en")
    page.get_by_role("heading", name="Data").wait_for(timeout=60_000)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(register))
    assert wait_for(lambda: page.get_by_text("Read 2 rows, 4 columns.").count() > 0)
    page.get_by_role("button", name="Geocode").click()
    assert wait_for(lambda: page.get_by_text("1 unmatched").count() > 0, timeout=60)
    frame = map_frame(page)
    assert wait_for(lambda: aimag_paths(frame).count() == 22)
    click_aimag(frame, aimag_paths(frame), "Ulaanbaatar")
    assert wait_for(lambda: page.get_by_text("Point clicked on the map").count() > 0)
    # the map is drawn again around the point, with the point marked
    marker = map_frame(page).locator("path.leaflet-interactive[stroke='#b71c1c']")
    assert wait_for(lambda: marker.count() == 1)
    page.get_by_role("button", name="Save the choices and geocode again").click()
    assert wait_for(lambda: page.get_by_text("0 unmatched").count() > 0, timeout=60)
    store = Workspace(workspace_dir / "workspace.sqlite")
    targets = [v for k, v in store.corrections().items() if "тойруу" in k or "модны" in k]
    assert len(targets) == 1 and targets[0].startswith("point:")
    lat, lon = map(float, targets[0][6:].split(","))
    from geo.admin import AdminIndex, load_aimags, load_units

    where = AdminIndex(load_aimags(), load_units()).locate([lat], [lon])
    assert where.at[0, "aimag_code"] == "MN-1"  # inside Ulaanbaatar
    assert not page.page_errors, page.page_errors
