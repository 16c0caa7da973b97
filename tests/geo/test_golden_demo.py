"""Golden numbers: the demo's statistics and cluster facts, pinned.

Any change in rounding, in a rule (the LQ, the CMP strong-cluster test, the
ECO stars, Moran's I, DBSCAN, a cluster's facts and stage) or in the demo
registry shows here as a changed number. When a change is meant, update the
number in the same commit and say why in its message.

Statistics and clusters are computed on the registry's true places
(``true_aimag_code``, ``true_lat``/``true_lon``), so that they do not move
when the geocoder improves; :func:`test_the_default_map_view` pins the path
the Map page takes (geocoded firms, 2 km, 10 firms), which does.
"""

from __future__ import annotations

import pandas as pd
import pytest

from geo.cluster import cluster_firms
from geo.describe import describe_clusters
from geo.io import load_demo_firms
from geo.stats import morans_i, sector_statistics

EXACT = {"rel": 1e-9, "abs": 1e-12}


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    firms = load_demo_firms()
    return firms.assign(
        aimag_code=firms["true_aimag_code"],
        soum=firms["true_soum"],
        lat=firms["true_lat"],
        lon=firms["true_lon"],
    )


@pytest.fixture(scope="module")
def statistics(demo, aimags) -> pd.DataFrame:
    return sector_statistics(demo, aimags=aimags, weight="employees")


@pytest.fixture(scope="module")
def clusters(demo, aimags) -> pd.DataFrame:
    return describe_clusters(cluster_firms(demo, 2.0, 10), aimags=aimags)


# aimag, sector: firms, employees, LQ (employment), LQ (firms), CMP strong, ECO stars
SECTOR_ROWS = {
    ("MN-053", "mining"): (433, 40128, 2.5818282201937133, 11.313012295081966, True, 3),
    ("MN-035", "mining"): (238, 24674, 2.2390293879709677, 4.505969351389879, True, 3),
    ("MN-1", "cashmere_wool_leather"): (
        676,
        11882,
        1.8935570628485032,
        1.3508470123441698,
        True,
        2,
    ),
    ("MN-037", "cashmere_wool_leather"): (
        160,
        2781,
        4.895272410491369,
        3.6121698251019243,
        True,
        3,
    ),
    ("MN-041", "tourism"): (152, 729, 6.963845883180859, 5.8271694028504415, True, 3),
    ("MN-063", "logistics"): (235, 1528, 2.238008266139457, 6.937691025284802, True, 3),
    ("MN-1", "construction"): (954, 9393, 1.4975888736972172, 1.0486243675094988, False, 1),
}


@pytest.mark.parametrize("key", list(SECTOR_ROWS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_sector_statistics(statistics, key):
    firms, employees, lq, lq_firms, strong, stars = SECTOR_ROWS[key]
    row = statistics[(statistics["aimag_code"] == key[0]) & (statistics["sector"] == key[1])].iloc[
        0
    ]
    assert (int(row["firms"]), int(row["employees"])) == (firms, employees)
    assert row["lq_employment"] == pytest.approx(lq, **EXACT)
    assert row["lq_firms"] == pytest.approx(lq_firms, **EXACT)
    assert (bool(row["cmp_strong"]), int(row["eco_stars"])) == (strong, stars)


# sector: Moran's I of the aimags' employment LQ, its p-value (999 permutations, seed 0)
MORAN = {
    "mining": (0.003225834667886204, 0.295),
    "tourism": (0.05618248200540131, 0.206),
    "construction": (0.24829806857898698, 0.021),  # clustered
    "construction_materials": (-0.2405921883994613, 0.002),  # dispersed
    "meat_dairy": (0.18670623959133917, 0.038),  # clustered
}


@pytest.mark.parametrize("sector", list(MORAN))
def test_morans_i(statistics, aimags, sector):
    value, p_value = MORAN[sector]
    lq = statistics[statistics["sector"] == sector].set_index("aimag_code")["lq_employment"]
    result = morans_i(lq, aimags, seed=0)
    assert result.I == pytest.approx(value, **EXACT)
    assert result.expected == pytest.approx(-1 / 21)
    assert result.p_value == pytest.approx(p_value, abs=1e-12)
    assert ("No clear spatial pattern" in result.reading) == (p_value >= 0.05)


# sector, soum: aimags, firms, employees, area km2, centroid, exporter share, rank, stage
CLUSTERS = {
    ("mining", "Цогтцэций"): (
        "MN-053",
        158,
        25797,
        41.7225,
        (43.656930727848106, 105.7576151835443),
        0.5379746835443038,
        1,
        "international",
    ),
    ("mining", "Баян-Өндөр"): (
        "MN-035",
        217,
        15312,
        61.1271875,
        (49.03299322580646, 104.08333811059909),
        0.5161290322580645,
        2,
        "international",
    ),
    ("mining", "Сайншанд"): (
        "MN-063",
        82,
        9654,
        16.3453125,
        (44.881862463414635, 110.1152871707317),
        0.14634146341463414,
        4,
        "local",
    ),
    ("cashmere_wool_leather", "Хан-Уул"): (
        "MN-1",
        419,
        8062,
        59.3934375,
        (47.8047149594272, 106.73870369451073),
        0.4200477326968974,
        1,
        "international",
    ),
    ("tourism", "Хархорин"): (
        "MN-055",
        122,
        1903,
        19.8228125,
        (47.19103397540983, 102.81423295081967),
        0.23770491803278687,
        1,
        "national",
    ),
}


@pytest.mark.parametrize("key", list(CLUSTERS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_cluster_facts(clusters, key):
    aimag, firms, employees, area, (lat, lon), exporters, rank, stage = CLUSTERS[key]
    hit = clusters[(clusters["sector"] == key[0]) & (clusters["soums"] == key[1])]
    assert len(hit) == 1
    row = hit.iloc[0]
    assert (row["aimag_codes"], int(row["firms"]), int(row["employees"])) == (
        aimag,
        firms,
        employees,
    )
    assert row["area_km2"] == pytest.approx(area, **EXACT)
    assert (row["centroid_lat"], row["centroid_lon"]) == (
        pytest.approx(lat, **EXACT),
        pytest.approx(lon, **EXACT),
    )
    assert row["exporter_share"] == pytest.approx(exporters, **EXACT)
    assert (int(row["rank_national"]), row["stage"]) == (rank, stage)


def test_cluster_counts(clusters):
    assert len(clusters) == 238
    assert clusters["stage"].value_counts().to_dict() == {
        "local": 176,
        "national": 36,
        "regional": 18,
        "international": 8,
    }
    per_sector = clusters.groupby("sector").size()
    assert per_sector[["mining", "cashmere_wool_leather", "tourism", "logistics"]].tolist() == [
        8,
        7,
        14,
        17,
    ]


def test_the_default_map_view(index, aimags):
    """The Map page's default: the geocoded demo, DBSCAN 2 km and 10 firms, by sector.
    Moves with the geocoder (firms located to a point) as well as with the rules."""
    from geo.geocode import Geocoder

    firms = Geocoder(index).geocode(
        load_demo_firms(), address_column="address", lat_column="gps_lat", lon_column="gps_lon"
    )
    assert firms["precision"].value_counts().to_dict() == {
        "district": 7694,
        "point": 6684,
        "soum": 5630,
        "none": 265,
        "aimag": 127,
    }
    table = describe_clusters(cluster_firms(firms, 2.0, 10), aimags=aimags)
    assert len(table) == 127 and int(table["firms"].sum()) == 4521
    assert table["stage"].value_counts().to_dict() == {
        "local": 115,
        "regional": 6,
        "national": 4,
        "international": 2,
    }
