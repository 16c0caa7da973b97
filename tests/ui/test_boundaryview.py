"""Every message of the boundary checks has its words in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.boundaries import Check
from ui.boundaryview import _check_line
from ui.i18n import STRINGS

GEO = Path(__file__).resolve().parents[2] / "geo" / "boundaries"


def codes_in_the_code() -> set[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in GEO.glob("*.py"))
    codes = set(re.findall(r'code="([a-z_]+)"', text))
    # checks whose key is their code, and codes made in f-strings
    return codes | {
        "read",
        "not_polygons",
        "valid",
        "columns",
        "joined_by_name",
        "names_differ",
        "unjoined",
        "duplicates",
        "parts",
        "coverage",
        "overlaps",
        "gaps",
        "overlaps_none",
        "gaps_none",
        "area",
        "crs_outside",
    }


@pytest.mark.parametrize("code", sorted(codes_in_the_code()))
def test_every_check_has_a_translation(code):
    assert f"bcheck_{code}" in STRINGS
    assert set(STRINGS[f"bcheck_{code}"]) == {"mn", "en"}


@pytest.mark.parametrize("lang", ["mn", "en"])
def test_the_real_report_reads_in_both_languages(official_import, lang):
    for check in official_import.report.checks:
        line = _check_line(check, lang)
        assert line != check.message or lang == "en"
        assert "{" not in line


def test_a_message_without_its_figures_falls_back_to_english():
    check = Check("error", "coverage", "5 of the 339 soums and districts have no polygon")
    assert _check_line(check, "mn") == check.message


def test_check_figures_are_written_as_the_page_writes_numbers():
    from types import SimpleNamespace

    from ui.boundaryview import _check_line

    check = SimpleNamespace(
        code="area", message="x", figures={"km2": 1564877.4, "official": 1564116.0, "diff": 0.0487}
    )
    assert _check_line(check, "en") == (
        "Total area 1,564,877 km² against the official 1,564,116 km² (0.05%)."
    )
    assert "1 564 877" in _check_line(check, "mn").replace("\u00a0", " ")
