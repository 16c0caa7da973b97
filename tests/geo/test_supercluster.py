"""Super-cluster candidates: hand-built outlines, the rule's parts, the demo."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.describe import StageRules
from geo.projection import MONGOLIA_LCC
from geo.supercluster import COLUMNS, related_sector_pairs, supercluster_candidates


def clusters(specs: list[tuple[str, float, str]]) -> gpd.GeoDataFrame:
    """Clusters as 1 km squares at x km (metric projection): (sector, x, aimag)."""
    n = len(specs)
    frame = pd.DataFrame(
        {
            "cluster": range(n),
            "sector": [s for s, _, _ in specs],
            "firms": [10] * n,
            "employees": [100.0 * (i + 1) for i in range(n)],
            "aimag_codes": [a for _, _, a in specs],
            "regions": ["Central" if a != "MN-041" else "Khangai" for _, _, a in specs],
            "n_aimags": 1,
            "n_regions": 1,
            "rank_national": [5] * n,
            "rank_in_region": [2] * n,
            "sector_share": [0.01] * n,
            "region_share": [0.05] * n,
            "exporter_share": [0.0] * n,
            "foreign_share": [0.0] * n,
        }
    )
    squares = [shapely.box(x * 1000, 0, x * 1000 + 1000, 1000) for _, x, _ in specs]
    return gpd.GeoDataFrame(frame, geometry=squares, crs=MONGOLIA_LCC).to_crs(4326)


def related(*pairs: tuple[str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sector_a": [a for a, _, _ in pairs],
            "sector_b": [b for _, b, _ in pairs],
            "colocation": [v for _, _, v in pairs],
            "related": True,
        }
    )


def test_related_pairs_are_unordered_and_need_the_quotient():
    table = pd.concat(
        [
            related(("a", "b", 3.0), ("b", "a", 2.0), ("c", "d", 1.2)),
            pd.DataFrame(
                {
                    "sector_a": ["a", "e"],
                    "sector_b": ["a", "f"],
                    "colocation": [9.0, 5.0],
                    "related": [True, False],
                }
            ),
        ]
    )
    assert related_sector_pairs(table) == {frozenset("ab"), frozenset("cd")}
    assert related_sector_pairs(table, 1.5) == {frozenset("ab")}


def test_a_chain_of_related_neighbours_is_one_candidate():
    # mine at 0, haulier at 1.5 km (0.5 km gap), drilling at 3.5 km (1 km gap from the
    # haulier, 2.5 km from the mine): one group through the haulier
    table = clusters(
        [
            ("mining", 0, "MN-053"),
            ("haulage", 1.5, "MN-053"),
            ("drilling", 3.5, "MN-053"),
            ("tourism", 1.2, "MN-053"),
        ]
    )
    pairs = related(("mining", "haulage", 2.0), ("haulage", "drilling", 2.0))
    found = supercluster_candidates(table, pairs, gap_km=1.0)
    assert list(found.columns) == [*COLUMNS, "geometry"]
    assert len(found) == 1
    row = found.iloc[0]
    assert row["sectors"] == "drilling; haulage; mining"  # largest employment first
    assert row["clusters"] == "2; 1; 0" and row["n_clusters"] == 3 and row["firms"] == 30
    assert row["employees"] == 600 and row["stage"] == "local"
    assert "tourism" not in row["sectors"]  # near, but not related
    outline = gpd.GeoSeries([row.geometry], crs=4326).to_crs(MONGOLIA_LCC).iloc[0]
    assert outline.covers(shapely.box(0, 0, 4500, 1000).buffer(-1))
    # a smaller gap breaks the chain: the mine and the haulier are 0.5 km apart
    assert supercluster_candidates(table, pairs, gap_km=0.4).empty
    assert supercluster_candidates(table, pairs, gap_km=0.6).iloc[0]["sectors"] == "haulage; mining"


def test_clusters_of_one_sector_never_make_a_candidate_alone():
    table = clusters([("mining", 0, "MN-053"), ("mining", 1.2, "MN-053")])
    assert supercluster_candidates(table, related(("mining", "haulage", 3.0))).empty
    assert supercluster_candidates(table, related(("mining", "mining", 3.0))).empty


def test_weak_or_unrelated_pairs_do_not_link():
    table = clusters([("trade", 0, "MN-1"), ("services", 1.1, "MN-1")])
    assert supercluster_candidates(table, related(("trade", "services", 1.2))).empty
    assert (
        len(supercluster_candidates(table, related(("trade", "services", 1.2)), min_colocation=1.1))
        == 1
    )
    assert supercluster_candidates(table, related()).empty
    with pytest.raises(ValueError, match="gap"):
        supercluster_candidates(table, related(("trade", "services", 2.0)), gap_km=-1)


def test_the_stage_rules_apply_to_the_group():
    # two aimags of one region: the group spans both, so it is regional; a lower threshold
    # of regions makes a two-region group national
    table = clusters(
        [("mining", 0, "MN-053"), ("haulage", 1.5, "MN-063"), ("drilling", 3.0, "MN-041")]
    )
    pairs = related(("mining", "haulage", 2.0), ("haulage", "drilling", 2.0))
    row = supercluster_candidates(table, pairs, gap_km=1.0).iloc[0]
    assert (row["n_aimags"], row["n_regions"]) == (3, 2)
    assert row["aimag_codes"] == "MN-041; MN-053; MN-063"
    assert row["stage"] == "national" and "spans 2 regions" in row["stage_reason"]
    strict = StageRules(national_min_regions=3)
    assert (
        supercluster_candidates(table, pairs, gap_km=1.0, rules=strict).iloc[0]["stage"]
        == "regional"
    )


def test_the_demo_proposes_mines_with_their_services_and_never_tourism_with_mining(aimags):
    from geo.cluster import cluster_firms
    from geo.colocation import colocation_quotients
    from geo.describe import describe_clusters
    from geo.io import load_demo_firms

    firms = load_demo_firms()
    firms = firms.assign(
        aimag_code=firms["true_aimag_code"],
        soum=firms["true_soum"],
        lat=firms["true_lat"],
        lon=firms["true_lon"],
    )
    table = describe_clusters(cluster_firms(firms, 2.0, 10), aimags=aimags)
    pairs = colocation_quotients(firms, radius_km=1.0, replicates=99, seed=17)
    found = supercluster_candidates(table, pairs)
    sectors = found["sectors"].str.split("; ").map(set)
    mines = found[sectors.map(lambda s: {"mining", "mining_services", "logistics"} <= s)]
    assert len(mines) >= 3 and mines["aimag_codes"].str.contains("MN-053").any()
    assert sectors.map(lambda s: {"meat_dairy", "cashmere_wool_leather"} <= s).sum() >= 3
    assert not sectors.map(lambda s: {"tourism", "mining"} <= s).any()
    assert found.iloc[0]["stage"] == "international"
