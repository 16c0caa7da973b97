"""Clusters in time: as-of views, age classes, Mann-Kendall, lineages (hand-built cases)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from geo.timeline import (
    AgeRules,
    age_class,
    age_profile,
    alive_mask,
    as_of,
    founding_timeline,
    founding_trends,
    link_clusters,
    mann_kendall,
    undated,
    yearly_foundings,
)


# -- as of a year ---------------------------------------------------------------------------------


def test_as_of_uses_founding_and_closing_years():
    firms = pd.DataFrame(
        {
            "founded": [2000, 2010, 2020, None, "abc", 2005],
            "closed": [2005, None, None, None, None, "2010"],
        }
    )
    assert as_of(firms, 1999).empty
    assert as_of(firms, 2004).index.tolist() == [0]
    # closed in 2005: gone at the end of 2005; founded 2005: there
    assert as_of(firms, 2005).index.tolist() == [5]
    assert as_of(firms, 2010).index.tolist() == [1]
    assert as_of(firms, 2026).index.tolist() == [1, 2]
    assert undated(firms) == 2


def test_as_of_without_closed_column_and_keeps_columns():
    firms = pd.DataFrame({"founded": [1995, 2001], "name": ["a", "b"]}, index=[7, 9])
    out = as_of(firms, 2000)
    assert out.index.tolist() == [7] and list(out.columns) == ["founded", "name"]
    assert alive_mask(firms, 2001).tolist() == [True, True]


# -- age classes ----------------------------------------------------------------------------------


def _group(n_recent: int, n_mid: int, n_old: int, label, sector="s") -> pd.DataFrame:
    years = [2024] * n_recent + [2018] * n_mid + [2000] * n_old
    return pd.DataFrame({"founded": years, "sector": sector, "cluster": label})


def test_age_profile_classes_against_the_sector():
    firms = pd.concat(
        [
            _group(12, 4, 4, 0),  # 60 % in the last 5 years: emerging
            _group(2, 10, 8, 1),  # 10 % in 5 years, 60 % in 10: growing
            _group(1, 2, 17, 2),  # mature
            _group(5, 0, 0, 3),  # too few
            _group(5, 5, 90, -1),  # noise: counts for the sector only
        ],
        ignore_index=True,
    )
    table = age_profile(firms, "cluster", year=2026).set_index("cluster")
    assert table.index.tolist() == [0, 1, 2, 3]
    assert table.loc[0, "share_5y"] == pytest.approx(0.6)
    national_5 = (12 + 2 + 1 + 5 + 5) / len(firms)
    national_10 = (12 + 4 + 2 + 10 + 1 + 2 + 5 + 5 + 5) / len(firms)
    assert table.loc[0, "national_5y"] == pytest.approx(national_5)
    assert table.loc[1, "national_10y"] == pytest.approx(national_10)
    assert table["age_class"].tolist() == ["emerging", "growing", "mature", "too_few"]
    assert table.loc[0, "age_reason"].startswith("60% founded in the last 5 years")
    assert table.loc[2, "dated"] == 20 and table.loc[2, "median_founded"] == 2000


def test_age_profile_by_aimag_and_sector_ignores_undated_firms():
    firms = pd.DataFrame(
        {
            "aimag_code": ["A"] * 12 + ["B"] * 12,
            "sector": ["x"] * 24,
            "founded": [2025] * 10 + [None, None] + [1999] * 12,
        }
    )
    table = age_profile(firms, ["aimag_code", "sector"], year=2026)
    a = table.set_index("aimag_code").loc["A"]
    assert a["firms"] == 12 and a["dated"] == 10 and a["share_5y"] == 1.0
    assert a["age_class"] == "emerging"
    assert table.set_index("aimag_code").loc["B", "age_class"] == "mature"


def test_age_class_thresholds_are_the_rules():
    rules = AgeRules(emerging_share=0.3, emerging_ratio=2.0, min_firms=3)
    assert age_class(3, 0.35, 0.5, 0.10, 0.3, rules)[0] == "emerging"
    # share high enough, but not twice the sector's: not emerging
    assert age_class(3, 0.35, 0.45, 0.20, 0.5, rules)[0] == "mature"
    # most firms young, but older than the sector: mature
    assert age_class(3, 0.35, 0.6, 0.20, 0.7, rules)[0] == "mature"
    assert age_class(3, 0.35, 0.6, 0.20, 0.5, rules)[0] == "growing"
    assert age_class(2, 0.9, 0.9, 0.1, 0.1, rules)[0] == "too_few"
    assert set(rules.as_dict()) == {
        "emerging_share",
        "emerging_ratio",
        "growing_share",
        "growing_ratio",
        "min_firms",
    }


# -- Mann-Kendall ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_mann_kendall_matches_scipy_kendalltau_and_theilslopes(seed):
    rng = np.random.default_rng(seed)
    values = rng.poisson(5 + 0.3 * np.arange(25))  # counts: with ties
    result = mann_kendall(values, continuity=False)
    tau = stats.kendalltau(np.arange(25), values, method="asymptotic")
    assert result.p_value == pytest.approx(tau.pvalue, rel=1e-9)
    assert np.sign(result.z) == np.sign(tau.statistic)
    assert result.slope == pytest.approx(stats.theilslopes(values, np.arange(25))[0])


def test_mann_kendall_hand_computed_with_ties():
    # x = 1, 3, 2, 3, 5: pairs (i<j) signs: +,+,+,+ / -,0,+ / +,+ / + -> S = 7
    # ties: one group of 2 -> var = (5*4*15 - 2*1*9) / 18 = (300 - 18) / 18 = 15.6667
    r = mann_kendall([1, 3, 2, 3, 5])
    assert r.s == 7 and r.var_s == pytest.approx(282 / 18)
    assert r.z == pytest.approx(6 / np.sqrt(282 / 18))
    assert r.p_value == pytest.approx(2 * stats.norm.sf(6 / np.sqrt(282 / 18)))
    # pairwise slopes: 2, .5, .667, 1, -1, 0, .667, 1, 1.5, 2 -> median 0.8333
    assert r.slope == pytest.approx((2 / 3 + 1) / 2)
    assert r.trend == "no trend"


def test_mann_kendall_flat_short_and_decreasing():
    assert mann_kendall([4, 4, 4, 4]).p_value == 1.0
    assert mann_kendall([1, 2]).trend == "no trend"
    r = mann_kendall(np.arange(20, 0, -1))
    assert r.trend == "decreasing" and r.slope == -1.0


def test_yearly_foundings_and_timeline():
    firms = pd.DataFrame({"founded": [2001, 2001, 2003, None], "employees": [5, 2, 10, 1]})
    assert yearly_foundings(firms, first=2000, last=2003).tolist() == [0, 2, 0, 1]
    table = founding_timeline(firms)
    assert table["year"].tolist() == [2001, 2003]
    assert table["firms"].tolist() == [2, 1] and table["employees"].tolist() == [7, 10]
    assert table["firms_total"].tolist() == [2, 3]
    assert table["employees_total"].tolist() == [7, 17]


def test_founding_trends_per_aimag_and_sector():
    rising = [2000 + y for y in range(20) for _ in range(y // 2 + 1)]  # more every year
    falling = [2000 + y for y in range(20) for _ in range((19 - y) // 2 + 1)]
    firms = pd.DataFrame(
        {
            "aimag_code": ["A"] * len(rising) + ["B"] * len(falling),
            "sector": "x",
            "founded": rising + falling,
        }
    )
    table = founding_trends(firms, ["aimag_code", "sector"], first=2000, last=2019)
    a, b = table.iloc[0], table.iloc[1]
    assert (a["aimag_code"], a["sector"], a["trend"]) == ("A", "x", "increasing")
    assert b["trend"] == "decreasing" and a["founded_in_window"] == len(rising)
    counts = yearly_foundings(firms[firms["aimag_code"] == "A"], first=2000, last=2019)
    assert a["p_value"] == mann_kendall(counts.to_numpy()).p_value
    assert a["sen_slope"] == pytest.approx(0.5)


# -- lineages -------------------------------------------------------------------------------------


def _labels(mapping: dict[str, int]) -> pd.Series:
    return pd.Series(mapping)


def test_link_clusters_growth_is_one_line():
    years = {
        2000: _labels({"a": 0, "b": 0, "c": 0, "z": -1}),
        2001: _labels({"a": 3, "b": 3, "c": 3, "d": 3}),  # renumbered, grown
        2002: _labels({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1, "f": 0, "g": 0, "h": 0}),
    }
    table = link_clusters(years)
    line = table[table["lineage"] == 0]
    assert line["year"].tolist() == [2000, 2001, 2002]
    assert line["firms"].tolist() == [3, 4, 5]
    assert line["event"].tolist() == ["new", "continues", "continues"]
    row = table[(table["year"] == 2001)].iloc[0]
    assert row["predecessor"] == 0 and row["shared"] == 3 and row["jaccard"] == 0.75
    fresh = table[(table["year"] == 2002) & (table["cluster"] == 0)].iloc[0]
    assert fresh["event"] == "new" and fresh["lineage"] == 1 and fresh["predecessor"] == -1


def test_link_clusters_split_and_merge():
    years = {
        2000: _labels({"a": 0, "b": 0, "c": 0, "d": 0, "e": 0, "x": 1, "y": 1}),
        # split: 0 -> 0 (a, b, c) and 1 (d, e); 1 (x, y) dies
        2001: _labels({"a": 0, "b": 0, "c": 0, "d": 1, "e": 1, "x": -1}),
        # merge: both come together in one cluster
        2002: _labels({"a": 0, "b": 0, "c": 0, "d": 0, "e": 0, "q": 0}),
    }
    table = link_clusters(years).set_index(["year", "cluster"])
    assert table.loc[(2001, 0), "event"] == "continues"
    assert table.loc[(2001, 0), "lineage"] == table.loc[(2000, 0), "lineage"]
    assert table.loc[(2001, 1), "event"] == "split"
    assert table.loc[(2001, 1), "predecessor"] == 0
    assert table.loc[(2001, 1), "lineage"] not in (
        table.loc[(2000, 0), "lineage"],
        table.loc[(2000, 1), "lineage"],
    )
    merged = table.loc[(2002, 0)]
    assert merged["event"] == "merge" and merged["merged"] == 2
    assert merged["predecessor"] == 0 and merged["shared"] == 3
    assert merged["lineage"] == table.loc[(2000, 0), "lineage"]


def test_link_clusters_ties_go_to_the_lower_label_and_empty_years():
    years = {
        2000: _labels({"a": 5, "b": 2}),
        2001: _labels({"a": 0, "b": 0}),
        2002: pd.Series(dtype=int),
    }
    table = link_clusters(years)
    row = table[table["year"] == 2001].iloc[0]
    assert row["predecessor"] == 2 and row["event"] == "merge"
    assert (table["year"] == 2002).sum() == 0
    assert link_clusters({}).empty
