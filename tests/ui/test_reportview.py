"""The Statistics page's aimag report with the app's own data: the view's clusters, and their
p-values once the Map computed them (never computed for the report)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from geo.view import View
from ui import evidence
from ui.i18n import t
from ui.reportview import build_report, data_date


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_report_shows_p_values_only_once_they_were_computed():
    view = View(eps_km=2.5)  # parameters of its own: no other test computed them
    selection = view.firm_filter().replace(sectors=())
    args = ("demo", selection, view.eps_km, view.min_samples, view.weighted, view.include_centres)
    assert not evidence.significance_ready(*args)
    before = text_of(build_report(view, "MN-053", "en", "demo"))
    assert t("report_no_pvalues", "en") in before and "≤" not in before
    assert not evidence.significance_ready(*args)  # the report computed none
    evidence.view_significance(*args)
    after = text_of(build_report(view, "MN-053", "en", "demo"))
    assert t("report_no_pvalues", "en") not in after
    assert t("p_value", "en") in after and "✓" in after


def test_the_demo_says_it_is_synthetic_and_undated():
    text = text_of(build_report(View(), "MN-041", "mn", "demo"))
    assert "Хөвсгөл" in text and t("report_no_date", "mn") in text
    assert t("demo_source", "mn") in text
    assert data_date("demo", "en") == t("report_no_date", "en")
