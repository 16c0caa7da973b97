"""Issue #15 in a browser: upload a register, fix flagged values in the data editor, apply,
geocode, review (a street-only address among the places), save, reopen the dataset and find
every fixed value. Any Streamlit exception box, page error or dialog fails the test."""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import go_to, map_frame, save_dataset
from tests.browser.test_map_browser import metric, wait_for

DATA = Path(__file__).resolve().parents[1] / "data"


def no_exception(page) -> bool:
    return page.locator("[data-testid='stException']").count() == 0


def settle(page) -> None:
    """Wait until the app has finished its rerun (the "Running" status is gone)."""
    page.wait_for_timeout(400)
    wait_for(lambda: not page.locator("[data-testid='stStatusWidget']").is_visible(), timeout=30)
    page.wait_for_timeout(300)


def selected(editor) -> tuple[int, int] | None:
    """(column, row) of the selected cell, read from the grid's accessible table."""
    cell = editor.locator("td[aria-selected='true']")
    if cell.count() != 1:
        return None
    col, row = (cell.get_attribute("id") or "").split("-")[-2:]
    return int(col), int(row)


def cell_text(editor, column: int, row: int) -> str:
    return editor.locator(f"#glide-cell-{column}-{row}").inner_text().strip()


def edit_cell(page, editor, row: int, column: int, value: str, tries: int = 8) -> None:
    """Type ``value`` into a cell of a Streamlit data editor (glide grid, drawn on a canvas).

    Select the first cell, walk to the target with the arrow keys, press a key
    (which opens the cell's editor), put the new text in the editor, Enter;
    the grid's accessible table tells whether the cell now holds ``value``
    (else again).
    """
    tried: list[str] = []
    for attempt in range(tries):
        settle(page)
        editor.scroll_into_view_if_needed()
        box = editor.bounding_box()
        page.mouse.click(box["x"] + 20, box["y"] + 35 + 17)  # header 35 px, rows 35 px
        if not wait_for(lambda: selected(editor) is not None, timeout=3):
            tried.append("no cell selected")
            continue  # the grid was redrawn under the click: again
        first_column, first_row = selected(editor)
        for _ in range(row - first_row):
            page.keyboard.press("ArrowDown")
        for _ in range(column - first_column):
            page.keyboard.press("ArrowRight")
        if not wait_for(lambda: selected(editor) == (column, row), timeout=3):
            tried.append(f"walked to {selected(editor)}")
            page.keyboard.press("Escape")
            continue
        # a key typed on a selected cell opens its editor (as a person does); characters typed
        # while the editor mounts can be lost, so the text is put in once it is open
        page.keyboard.press("x")
        box_editor = page.locator("textarea.gdg-input")
        if not wait_for(lambda: box_editor.count() == 1 and box_editor.is_visible(), timeout=3):
            tried.append("no cell editor opened")
            page.keyboard.press("Escape")
            continue
        box_editor.fill(value)
        page.keyboard.press("Enter")
        settle(page)
        if wait_for(lambda: cell_text(editor, column, row) == value, timeout=3):
            return
        tried.append(f"cell reads {cell_text(editor, column, row)!r}")
        page.screenshot(path=f"/tmp/edit_cell_{attempt}.png")
        page.keyboard.press("Escape")
    raise AssertionError(f"could not type {value!r} into cell ({column}, {row}): {tried}")


def test_fixes_survive_geocoding_review_and_save(app_url, page, tmp_path, workspace_dir):
    from geo.workspace import Workspace

    import sqlite3

    # the server's workspace is shared by the session's browser tests: start from no
    # corrections, so that "Хэрлэн сум" is ambiguous whatever ran before
    Workspace(workspace_dir / "workspace.sqlite")  # the schema, if none yet
    with sqlite3.connect(workspace_dir / "workspace.sqlite") as db:
        db.execute("DELETE FROM corrections")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    register = tmp_path / "bayan_register.csv"
    register.write_bytes(
        (DATA / "utf8_comma.csv").read_bytes() + "Нарны Од ХХК,G,4,Нарны гудамж 12,,\n".encode()
    )
    page.goto(f"{app_url}/data?lang=en")
    page.get_by_role("heading", name="Data").wait_for(timeout=60_000)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(register))
    assert wait_for(lambda: page.get_by_text("Read 8 rows, 6 columns.").count() > 0)
    assert wait_for(lambda: page.get_by_text("8 rows: 6 fine, 2 flagged").count() > 0)
    assert page.get_by_text("The first rows of the file").count() > 0  # the preview

    # fix row 6: employees "abc" -> 30 and its missing name (columns: row, name, sector_text,
    # employees_text, ...)
    expander = page.locator("[data-testid='stExpander']", has_text="Rows to fix")
    editor = expander.locator("[data-testid='stDataFrame']").first
    editor.wait_for(timeout=30_000)
    editor.scroll_into_view_if_needed()
    edit_cell(page, editor, 0, 3, "30")
    edit_cell(page, editor, 0, 1, "Шинэ Од ХХК")
    assert cell_text(editor, 3, 0) == "30" and cell_text(editor, 1, 0) == "Шинэ Од ХХК"

    page.get_by_role("button", name="Apply the fixes and check again").click()
    assert wait_for(lambda: page.get_by_text("2 cells fixed").count() > 0), page.locator(
        "[data-testid='stAlert']"
    ).all_inner_texts()
    assert wait_for(lambda: page.get_by_text("8 rows: 6 fine, 2 flagged").count() > 0)
    assert wait_for(lambda: page.get_by_text("Fixes applied: 2 cells.").count() > 0)

    # geocode; the fixes are still there (the report says so on every rerun)
    page.get_by_role("button", name="Geocode").click()
    assert wait_for(lambda: page.get_by_text("1 ambiguous").count() > 0, timeout=60)
    assert page.get_by_text("Fixes applied: 2 cells.").count() > 0
    assert wait_for(lambda: page.get_by_text("names no place").count() > 0)
    assert page.get_by_text("empty address").count() == 0

    # review: Kherlen of Dornod for "Хэрлэн сум"; the street-only address says why it has no
    # choice, and the save neither crashes nor stops half-way
    box = page.locator("[data-testid='stSelectbox']", has_text="Right unit").first
    box.click()
    page.keyboard.type("Хэрлэн, Дорнод")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Save the choices and geocode again").click()
    assert wait_for(lambda: page.get_by_text("1 correction saved.").count() > 0, timeout=60)
    assert wait_for(lambda: page.get_by_text("0 ambiguous").count() > 0, timeout=60)
    assert no_exception(page)

    # save, under a new name
    save_dataset(page, "Bayan fixed", "Bold", 'Saved "bayan-fixed" (8 rows)')
    assert no_exception(page)

    # reopen: every fixed value is in the saved dataset, and on the map
    saved = Workspace(workspace_dir / "workspace.sqlite").load("bayan-fixed").set_index("row")
    assert saved.at[6, "employees"] == 30 and saved.at[6, "employees_text"] == "30"
    assert saved.at[6, "name"] == "Шинэ Од ХХК"
    issues = saved.at[6, "import_issues"]
    assert "employees_not_a_number" not in issues and "missing_name" not in issues
    assert issues == "no_location"  # still true: kept
    assert "fixed on import" in saved.at[6, "import_notes"]
    assert saved.at[4, "aimag_code"] == "MN-061"  # the review choice
    assert "names no place" in saved.at[8, "geocode_note"]
    assert saved["employees"].sum() == 13 + 2 + 1200 + 5 + 40 + 30 - 3 + 4
    # the analyst's journey goes on: open it on the Map (the button), then Statistics; the
    # uploaded data throughout, its name in every file name and metadata sheet
    page.get_by_role("button", name="Open on the map").click()
    map_frame(page)
    assert wait_for(lambda: metric(page, "Firms") == "8")
    assert "ds=bayan-fixed" in page.evaluate("window.location.search")
    assert page.get_by_text("Demo data: 20,400").count() == 0
    check_download(
        page, "Firms (XLSX)", "cluster_atlas_bayan-fixed_firms.xlsx", "Bayan fixed", rows=8
    )
    go_to(page, "Statistics")
    assert wait_for(lambda: page.get_by_text("Bayan fixed").count() > 0)
    page.locator("[data-testid='stRadio']", has_text="Level").first.locator(
        "label", has_text="Region"
    ).first.click()
    settle(page)
    assert wait_for(lambda: "slvl=region" in page.evaluate("window.location.search"))
    assert "ds=bayan-fixed" in page.evaluate("window.location.search")
    assert page.get_by_text("Bayan fixed").count() > 0  # still the upload, not the demo
    assert page.get_by_text("Demo data: 20,400").count() == 0
    check_download(
        page, "All sectors (XLSX)", "cluster_atlas_bayan-fixed_region_all.xlsx", "Bayan fixed"
    )
    assert no_exception(page)
    assert not page.page_errors, page.page_errors
    assert not dialogs, dialogs


def check_download(page, label: str, file_name: str, source: str, rows: int | None = None):
    """Click a download button; the file has the dataset's name and its metadata sheet."""
    import openpyxl

    button = page.get_by_role("button", name=label).first
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == file_name, download.suggested_filename
    import io

    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    meta = {r[0]: r[1] for r in book["metadata"].iter_rows(values_only=True) if r and r[0]}
    assert meta.get("source") == source and meta.get("dataset") == "bayan-fixed", meta
    if rows is not None:
        assert meta.get("rows") == rows, meta
