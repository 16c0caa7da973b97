"""geo.describe: cluster facts by hand, stage rules, and the demo registry's named clusters."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from geo.cluster import cluster_firms
from geo.describe import STAGES, StageRules, assign_stage, cluster_outline, describe_clusters
from geo.io import load_demo_firms


def hand_made() -> pd.DataFrame:
    """Two ICT clusters and one mining firm; employment written so shares are easy."""
    rng = np.random.default_rng(0)
    ub = rng.normal([106.92, 47.92], 0.002, (10, 2))  # Ulaanbaatar
    darkhan = rng.normal([105.95, 49.47], 0.002, (5, 2))  # Darkhan-Uul
    pts = np.vstack([ub, darkhan, [[100.0, 45.0]], [[106.5, 47.0]]])
    return pd.DataFrame(
        {
            "lat": pts[:, 1],
            "lon": pts[:, 0],
            "sector": ["ict"] * 15 + ["mining", "ict"],
            "employees": [10] * 10 + [3] * 5 + [100, 80],
            "isic_division": [62] * 8 + [63] * 2 + [62] * 5 + [7, 62],
            "exporter": [True] * 5 + [False] * 5 + [False] * 5 + [True, False],
            "foreign_owned": [False] * 15 + [True, False],
            "aimag_code": ["MN-1"] * 10 + ["MN-037"] * 5 + ["MN-059", "MN-047"],
            "soum": ["Сүхбаатар"] * 6 + ["Чингэлтэй"] * 4 + ["Дархан"] * 5 + ["x", "y"],
            "precision": "point",
        }
    )


def test_describe_by_hand(aimags):
    firms = cluster_firms(hand_made(), 2.0, 5)
    table = describe_clusters(firms, aimags=aimags)
    assert table.crs.to_epsg() == 4326
    assert len(table) == 2
    ub, darkhan = table.iloc[0], table.iloc[1]
    assert (ub.firms, ub.employees) == (10, 100)
    total_ict = 10 * 10 + 3 * 5 + 80
    assert ub.sector_share == pytest.approx(100 / total_ict)
    assert darkhan.sector_share == pytest.approx(15 / total_ict)
    assert ub.dominant_divisions == "62 (80%); 63 (20%)"
    assert ub.aimag_codes == "MN-1" and ub.aimags == "Улаанбаатар"
    assert ub.soums == "Сүхбаатар; Чингэлтэй"
    assert (ub.n_aimags, ub.n_regions) == (1, 1)
    assert ub.exporter_share == pytest.approx(0.5) and ub.foreign_share == 0
    assert ub.centroid_lat == pytest.approx(firms.lat[:10].mean())
    assert ub.area_km2 > 0 and ub.density_firms_km2 == pytest.approx(10 / ub.area_km2)
    assert ub.geometry.contains(__import__("shapely").points(firms.lon[:10], firms.lat[:10])).all()
    # ICT's leader in Mongolia with 50% of the sector and 50% exporters
    assert ub.rank_national == 1 and darkhan.rank_national == 2 and ub.stage == "international"
    assert "50% of its firms export" in ub.stage_reason
    # Darkhan: region Central, ICT employment there is the cluster's own 15 + 80 in Tov
    assert darkhan.region_share == pytest.approx(15 / 95)
    assert darkhan.stage == "local"


def test_describe_without_clusters_or_optional_columns(aimags):
    firms = cluster_firms(hand_made().drop(columns=["exporter", "isic_division"]), 2.0, 50)
    table = describe_clusters(firms, aimags=aimags)
    assert table.empty and "stage" in table.columns
    firms = cluster_firms(hand_made().drop(columns=["exporter", "isic_division"]), 2.0, 5)
    table = describe_clusters(firms, aimags=aimags, weight=None)
    assert table.iloc[0].firms == 10 and np.isnan(table.iloc[0].exporter_share)
    assert table.iloc[0].dominant_divisions == ""
    with pytest.raises(ValueError, match="cluster_firms"):
        describe_clusters(hand_made(), aimags=aimags)


def fact(**kw):
    base = dict(
        n_aimags=1,
        n_regions=1,
        rank_in_region=2,
        region_share=0.1,
        rank_national=5,
        sector_share=0.01,
        exporter_share=0.0,
        foreign_share=0.0,
    )
    base.update(kw)
    return base


@pytest.mark.parametrize(
    "facts,stage",
    [
        (fact(), "local"),
        (fact(n_aimags=2), "regional"),
        (fact(rank_in_region=1, region_share=0.25), "regional"),
        (fact(rank_in_region=1, region_share=0.24), "local"),
        (fact(n_regions=2, n_aimags=2), "national"),
        (fact(rank_national=3, sector_share=0.10), "national"),
        (fact(rank_national=4, sector_share=0.50), "local"),
        (fact(rank_national=1, sector_share=0.09), "local"),
        (fact(n_regions=2, exporter_share=0.30), "international"),
        (fact(n_regions=2, foreign_share=0.20), "international"),
        (fact(n_regions=1, exporter_share=0.9), "local"),  # exports alone do not make it
        (fact(n_regions=2, exporter_share=float("nan")), "national"),
    ],
)
def test_stage_rules(facts, stage):
    got, reason = assign_stage(facts, StageRules())
    assert got == stage and got in STAGES and reason


def test_stage_thresholds_are_parameters():
    strict = StageRules(regional_min_aimags=3, export_share=0.95)
    assert assign_stage(fact(n_aimags=2), strict)[0] == "local"
    assert assign_stage(fact(n_regions=2, exporter_share=0.9), strict)[0] == "national"
    assert strict.as_dict()["export_share"] == 0.95


def test_outline_of_degenerate_clusters():
    outline, area = cluster_outline(np.zeros(5), np.zeros(5))
    assert area == 0 and outline.area > 0  # a point, widened to a disc
    outline, area = cluster_outline(np.arange(5.0) * 100, np.zeros(5))
    assert area == 0 and outline.geom_type == "Polygon"
    outline, area = cluster_outline(np.array([0, 1000, 0, 1000.0]), np.array([0, 0, 1000, 1000.0]))
    assert area == pytest.approx(1.0)


def test_every_named_cluster_of_the_demo_is_found(index, aimags):
    """Radius 2 km, min 10 firms, on the registry's true positions: each named cluster
    of the generator is a cluster of its sector within 2 km of its soum centre."""
    from datasets.build.make_demo_firms import CLUSTERS

    firms = load_demo_firms()
    firms = firms.assign(
        lat=firms["true_lat"],
        lon=firms["true_lon"],
        aimag_code=firms["true_aimag_code"],
        soum=firms["true_soum"],
    )
    table = describe_clusters(cluster_firms(firms, 2.0, 10), aimags=aimags)
    missing = []
    for sector, iso, soum, count, *_ in CLUSTERS:
        centre = index.find_units(soum, iso).iloc[0]
        hits = table[table["sector"] == sector]
        km = np.hypot(
            (hits.centroid_lat - centre.lat) * 111.2,
            (hits.centroid_lon - centre.lon) * 111.2 * np.cos(np.radians(centre.lat)),
        )
        if not (km < 2).any() or hits.loc[km.idxmin(), "firms"] < 0.5 * count:
            missing.append((sector, soum))
    assert missing == []
    assert set(table["stage"]) == set(STAGES)


def test_cluster_members_lists_its_firms_largest_first_with_the_kept_columns():
    import pandas as pd

    from geo.describe import MEMBER_COLUMNS, cluster_members

    firms = pd.DataFrame(
        {
            "name": ["a", "b", "c", "d"],
            "employees": [5, None, 50, 9],
            "sector": ["x"] * 4,
            "cluster": [3, 3, 3, -1],
            "address": ["=HYPERLINK(1)", "", "", ""],
            "unrelated": [1, 2, 3, 4],
        }
    )
    members = cluster_members(firms, 3)
    assert members["name"].tolist() == ["c", "a", "b"]  # missing employees last
    assert list(members.columns) == [c for c in MEMBER_COLUMNS if c in firms.columns]
    assert cluster_members(firms, 99).empty
    assert cluster_members(firms.drop(columns="cluster"), 3).empty
