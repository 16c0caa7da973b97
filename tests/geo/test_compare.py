"""Units side by side (geo.compare): portfolios and summaries from one statistics table."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.compare import COMPARE_MAX_UNITS, compare_summary, compare_units, parse_units, unit_keys
from geo.io import load_demo_firms
from geo.stats import sector_statistics


@pytest.fixture(scope="module")
def firms():
    return load_demo_firms().rename(columns={"true_aimag_code": "aimag_code"})


@pytest.fixture(scope="module")
def by_aimag(firms, aimags):
    return sector_statistics(firms, aimags=aimags)


@pytest.fixture(scope="module")
def by_region(firms, aimags):
    return sector_statistics(firms, aimags=aimags, level="region")


def test_portfolios_are_the_statistics_rows_in_the_order_asked(by_aimag):
    units = ["MN-053", "MN-1", "MN-041"]
    out = compare_units(by_aimag, units)
    sectors = by_aimag["sector"].nunique()
    assert len(out) == 3 * sectors
    assert list(out["aimag_code"].drop_duplicates()) == units
    mining = out[(out["aimag_code"] == "MN-053") & (out["sector"] == "mining")].iloc[0]
    source = by_aimag[(by_aimag["aimag_code"] == "MN-053") & (by_aimag["sector"] == "mining")].iloc[
        0
    ]
    assert mining["lq_employment"] == source["lq_employment"] and mining["lq_employment"] > 2
    assert mining["firms"] == source["firms"]


def test_summary_has_one_row_per_unit_with_totals_and_strong_clusters(by_aimag):
    out = compare_summary(by_aimag, ["MN-053", "MN-1", "MN-041"])
    assert list(out["aimag_code"]) == ["MN-053", "MN-1", "MN-041"]
    assert list(out["name_en"]) == ["Ömnögovi", "Ulaanbaatar", "Khövsgöl"]
    south = out.iloc[0]
    rows = by_aimag[by_aimag["aimag_code"] == "MN-053"]
    assert south["firms"] == rows["firms"].sum()
    assert south["employees"] == pytest.approx(rows["employees"].sum())
    assert south["strong_clusters"] == int(rows["cmp_strong"].sum())
    # the planted mining services beside the mines (issue 18) lead by LQ since the demo has them
    assert "mining" in south["strong_sectors"] and south["top_sector"] == "mining_services"
    assert south["effective_sectors"] >= 1


def test_regions_compare_too(by_region):
    keys = unit_keys(by_region, "region")
    assert "MN" not in keys and len(keys) == 5
    out = compare_summary(by_region, keys[:3], level="region")
    assert list(out["region"]) == keys[:3]


def test_refuses_unknown_units_too_many_and_the_wrong_level(by_aimag):
    with pytest.raises(ValueError, match="MN-999"):
        compare_units(by_aimag, ["MN-053", "MN-999"])
    too_many = unit_keys(by_aimag, "aimag")[: COMPARE_MAX_UNITS + 1]
    with pytest.raises(ValueError, match="at most 10"):
        compare_units(by_aimag, too_many)
    with pytest.raises(ValueError, match="region"):
        compare_units(by_aimag, ["Khangai"], level="region")


def test_no_units_give_empty_tables(by_aimag):
    assert compare_units(by_aimag, []).empty
    assert compare_summary(by_aimag, []).empty


def test_parse_units_keeps_known_keys_once_up_to_the_limit():
    allowed = [f"MN-{i:03d}" for i in range(20)]
    text = ",".join(allowed + ["MN-000", "bogus", " MN-001 "])
    assert parse_units(text, allowed) == allowed[:10]
    assert parse_units("", allowed) == [] and parse_units("MN-003", allowed, limit=1) == ["MN-003"]
    assert parse_units("<script>", pd.Index(["MN-1"])) == []
