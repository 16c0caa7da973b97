"""Issue 21 in a real browser: a comparison opened by a link, charts and the aimag report
downloaded (and read back), in both languages."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.browser.conftest import no_failure_shown, settle, wait_for
from ui.i18n import t

COMPARE_LINK = "/statistics?lang=en&cmp=MN-053,MN-041,MN-1"


def table_column(pg, key: str, header: str) -> list[str]:
    """The cells of one column of the keyed dataframe, from its accessible table."""
    table = pg.locator(f".st-key-{key} [data-testid='stDataFrame']").first
    table.wait_for(timeout=90_000)
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    column = headers.index(header)  # no row selection: cells count from 0
    cells = []
    for row in range(20):
        cell = table.locator(f"#glide-cell-{column}-{row}")
        if not cell.count():
            break
        cells.append(cell.inner_text().strip())
    return cells


def download(pg, key: str, tries: int = 3):
    """Click the keyed download button and return the download (again if the click fell
    into a rerun of the page)."""
    button = pg.locator(f".st-key-{key} button").first
    button.wait_for(timeout=90_000)
    for attempt in range(tries):
        try:
            with pg.expect_download(timeout=60_000) as info:
                button.click()
            return info.value
        except Exception:
            if attempt == tries - 1:
                raise
            settle(pg)


def content(item) -> bytes:
    with open(item.path(), "rb") as f:
        return f.read()


def test_a_link_opens_the_comparison_of_three_aimags(app_url, page):
    page.goto(app_url + COMPARE_LINK)
    settle(page)
    assert wait_for(
        lambda: (
            table_column(page, "compare_table", t("name", "en"))
            == ["Ömnögovi", "Khövsgöl", "Ulaanbaatar"]
        ),
        90,
    )
    assert "cmp=MN-053%2CMN-041%2CMN-1" in page.url or "cmp=MN-053,MN-041,MN-1" in page.url
    no_failure_shown(page)
    assert not page.external_requests


def test_the_comparison_chart_downloads_as_png_and_svg(app_url, page):
    page.goto(app_url + COMPARE_LINK)
    settle(page)
    png = download(page, "dl_chart_compare_png")
    assert (
        png.suggested_filename
        == "cluster_atlas_demo_synthetic_compare_aimag_MN-053_MN-041_MN-1.png"
    )
    assert content(png).startswith(b"\x89PNG\r\n\x1a\n")
    svg = download(page, "dl_chart_compare_svg")
    assert svg.suggested_filename.endswith(".svg")
    text = content(svg).decode("utf-8")
    assert text.startswith("<svg") and t("compare_chart", "en") in text
    assert "Ömnögovi" in text and t("demo_source", "en") in text
    top = download(page, "dl_chart_top_units_svg")  # a chart the page had before
    assert (
        top.suggested_filename == "cluster_atlas_demo_synthetic_top_aimag_mining_lq_employment.svg"
    )
    assert t("top_units", "en") in content(top).decode("utf-8")
    no_failure_shown(page)


@pytest.mark.parametrize(
    "lang, name, heading",
    [("en", "Ömnögovi", "aimag profile"), ("mn", "Өмнөговь", "аймгийн танилцуулга")],
)
def test_the_aimag_report_downloads_and_reads_back(app_url, page, lang, name, heading):
    page.goto(app_url + f"/statistics?lang={lang}&sel=MN-053")
    settle(page)
    pdf = download(page, "dl_aimag_report")
    assert pdf.suggested_filename == f"cluster_atlas_demo_synthetic_MN-053_report_{lang}.pdf"
    reader = PdfReader(io.BytesIO(content(pdf)))
    assert 1 <= len(reader.pages) <= 2
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert name in text and heading in text
    assert t("report_sectors", lang) in text and t("report_clusters", lang) in text
    no_failure_shown(page)
    assert not page.external_requests
