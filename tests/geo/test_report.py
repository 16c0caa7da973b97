"""The aimag report (geo.report): a PDF read back with pypdf, in both languages."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from geo.cluster import cluster_firms
from geo.describe import describe_clusters
from geo.io import load_demo_firms
from geo.report import LABEL_KEYS, aimag_report, clusters_in, strongest_sectors
from geo.stats import sector_statistics
from ui.i18n import t


@pytest.fixture(scope="module")
def demo(aimags):
    """The demo's firms at their true places (no geocoding), clustered and described."""
    firms = load_demo_firms().rename(
        columns={"true_lat": "lat", "true_lon": "lon", "true_aimag_code": "aimag_code"}
    )
    labelled = cluster_firms(firms, 2.0, 5, by="sector", weight="employees")
    clusters = describe_clusters(labelled, aimags=aimags, by="sector")
    statistics = sector_statistics(firms, aimags=aimags)
    return labelled, clusters, statistics


def sector_names(labelled, lang):
    column = "sector_label_mn" if lang == "mn" else "sector_label_en"
    return dict(zip(labelled["sector"], labelled[column]))


def make(demo, aimags, code="MN-053", lang="en", **kwargs):
    labelled, clusters, statistics = demo
    options = dict(
        firms=labelled,
        clusters=clusters,
        sector_names=sector_names(labelled, lang),
        dataset_name="Demo",
        data_date="2026-12-01",
        sources=["Cluster Atlas Mongolia. Boundaries: Natural Earth."],
        generated=dt.date(2026, 12, 3),
        invariant=True,
    )
    options.update(kwargs)
    return aimag_report(
        code,
        aimags=aimags,
        statistics=statistics,
        labels={k: t(k, lang) for k in LABEL_KEYS},
        lang=lang,
        **options,
    )


def text_of(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.mark.parametrize("lang, name", [("en", "Ömnögovi"), ("mn", "Өмнөговь")])
def test_the_report_reads_back_in_both_languages(demo, aimags, lang, name):
    pdf = make(demo, aimags, lang=lang)
    assert pdf.startswith(b"%PDF-")
    text, pages = text_of(pdf)
    assert 1 <= pages <= 2
    assert name in text
    for key in ("report_title", "report_sectors", "report_clusters", "report_sources"):
        assert t(key, lang) in text
    labelled = demo[0]
    mining = sector_names(labelled, lang)["mining"]
    assert mining in text  # the aimag's strongest sector
    assert t("stage_international", lang) in text  # its large mining clusters
    assert "Cluster Atlas Mongolia" in text


def test_the_strongest_sectors_are_those_of_the_table(demo, aimags):
    _, _, statistics = demo
    top = strongest_sectors(statistics, "MN-053")
    # the planted mining services beside the mines (issue 18) lead Ömnögovi by LQ, then mining
    assert top["sector"].iloc[:2].tolist() == ["mining_services", "mining"]
    assert top["lq_employment"].is_monotonic_decreasing
    lq = f"{top['lq_employment'].iloc[0]:.2f}"
    text, _ = text_of(make(demo, aimags))
    assert lq in text


def test_cluster_lines_list_the_aimags_clusters(demo, aimags):
    _, clusters, _ = demo
    inside = clusters_in(clusters, "MN-053")
    assert len(inside) and inside["aimag_codes"].str.contains("MN-053").all()
    text, _ = text_of(make(demo, aimags))
    assert f"{t('report_clusters', 'en')}: {len(inside)}" in text
    biggest = inside.iloc[0]
    assert str(biggest["cluster"]) in text


def test_fonts_are_embedded(demo, aimags):
    reader = PdfReader(io.BytesIO(make(demo, aimags, lang="mn")))
    seen = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            seen.add(str(font["/BaseFont"]))
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]  # the TrueType program
    assert seen and all("DejaVuSans" in name for name in seen)


def test_text_from_data_is_shown_not_read_as_markup(demo, aimags):
    pdf = make(demo, aimags, dataset_name="<b>Evil</b> & ${x}", filter_text="a < b")
    text, _ = text_of(pdf)
    assert "<b>Evil</b> & ${x}" in text and "a < b" in text


def test_p_values_when_the_clusters_were_tested(demo, aimags):
    labelled, clusters, statistics = demo
    tested = clusters.assign(
        p_value=np.where(clusters["firms"] > 50, 0.001, 0.4), significant=clusters["firms"] > 50
    )
    text, _ = text_of(make(demo, aimags, clusters=tested, replicates=999))
    assert t("p_value", "en") in text and "≤ 0.001 ✓" in text
    assert t("report_no_pvalues", "en") not in text
    untested, _ = text_of(make(demo, aimags))
    assert t("report_no_pvalues", "en") in untested


def test_an_aimag_without_clusters_or_firms(demo, aimags):
    labelled, _, _ = demo
    empty = labelled.iloc[:0]
    statistics = sector_statistics(
        pd.DataFrame({"aimag_code": ["MN-1"], "sector": ["ict"], "employees": [3]}), aimags=aimags
    )
    pdf = aimag_report(
        "MN-053",
        aimags=aimags,
        statistics=statistics,
        labels={k: t(k, "en") for k in LABEL_KEYS},
        firms=empty,
        clusters=None,
    )
    text, pages = text_of(pdf)
    assert pages == 1
    assert t("report_no_clusters", "en") in text and t("report_no_sectors", "en") in text


def test_same_input_same_bytes_and_unknown_codes(demo, aimags):
    assert make(demo, aimags) == make(demo, aimags)
    with pytest.raises(ValueError, match="MN-999"):
        make(demo, aimags, code="MN-999")
