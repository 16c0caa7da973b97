"""Institutions by ISIC division, a user's list, and the counts around clusters."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.institutions import (
    INSTITUTION_TYPES,
    ecosystem,
    ecosystem_columns,
    institution_types,
    institutions_from_register,
    read_institutions,
)
from geo.projection import MONGOLIA_LCC, to_wgs84


def point(x_km: float, y_km: float) -> tuple[float, float]:
    lon, lat = to_wgs84(np.array([x_km * 1000.0]), np.array([y_km * 1000.0]))
    return float(lat[0]), float(lon[0])


@pytest.fixture
def clusters() -> gpd.GeoDataFrame:
    """Two square clusters, 2 km wide, at (0, 0) and (100 km, 0) (metric projection)."""
    squares = [shapely.box(-1000, -1000, 1000, 1000), shapely.box(99_000, -1000, 101_000, 1000)]
    return gpd.GeoDataFrame({"cluster": [0, 1]}, geometry=squares, crs=MONGOLIA_LCC).to_crs(4326)


def institutions(rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    kinds, lat, lon = [], [], []
    for kind, x, y in rows:
        la, lo = point(x, y)
        kinds.append(kind)
        lat.append(la)
        lon.append(lo)
    return pd.DataFrame({"type": kinds, "lat": lat, "lon": lon})


def test_divisions_map_to_types():
    codes = pd.Series(
        ["72", "85", "64", "65", "66", "94", "84", "47", "7210", "M72", "", None, "9", "01"]
    )
    assert institution_types(codes).tolist() == [
        "research",
        "education",
        "finance",
        "finance",
        "finance",
        "membership",
        "public_administration",
        None,
        "research",
        "research",
        None,
        None,
        None,
        None,
    ]
    assert institution_types(pd.Series([72, 85.0, 5])).tolist() == ["research", "education", None]


def test_counts_inside_and_near_and_who_is_missing(clusters):
    inst = institutions(
        [
            ("research", 0, 0),
            ("education", 0.5, 0.5),
            ("education", 3, 0),
            ("finance", 7, 0),  # 6 km from the first outline
            ("membership", 100, 0),
            ("public_administration", 104, 0),
        ]
    )
    table = ecosystem(clusters, inst, distance_km=5)
    assert list(table.columns) == ecosystem_columns()
    first, second = table.iloc[0], table.iloc[1]
    assert (first["inside_research"], first["inside_education"], first["near_education"]) == (
        1,
        1,
        2,
    )
    assert first["near_finance"] == 0 and first["institutions_inside"] == 2
    assert first["institutions_near"] == 3
    assert first["missing_institutions"] == "finance; membership; public_administration"
    assert (second["inside_membership"], second["near_public_administration"]) == (1, 1)
    assert second["missing_institutions"] == "research; education; finance"
    wider = ecosystem(clusters, inst, distance_km=7)
    assert wider.iloc[0]["near_finance"] == 1


def test_no_institutions_means_all_missing(clusters):
    table = ecosystem(clusters, pd.DataFrame({"type": [], "lat": [], "lon": []}))
    assert (table["institutions_near"] == 0).all()
    assert table.iloc[0]["missing_institutions"] == "; ".join(INSTITUTION_TYPES)
    assert ecosystem(clusters.iloc[:0], institutions([("research", 0, 0)])).empty


def test_register_institutions_come_from_divisions():
    lat, lon = point(0, 0)
    firms = pd.DataFrame(
        {
            "isic_division": ["72", "47", "85", "64"],
            "lat": [lat, lat, np.nan, lat],
            "lon": [lon, lon, lon, lon],
        }
    )
    found = institutions_from_register(firms)
    assert found["type"].tolist() == ["research", "finance"]
    assert found.index.tolist() == [0, 3]
    assert institutions_from_register(firms.drop(columns="isic_division")).empty


def test_a_users_list_keeps_every_row_with_a_reason():
    lat, lon = point(0, 0)
    frame = pd.DataFrame(
        {
            "name": ["МУИС", "Bank", "Хэн нэгэн", "Танхим", "Лаб"],
            "type": ["Их сургууль", "finance", "клуб", "94", "research"],
            "lat": [lat, lat, lat, lat, None],
            "lon": [lon] * 5,
        }
    )
    read = read_institutions(frame)
    assert read["type"].tolist() == ["education", "finance", None, "membership", "research"]
    assert read["institution_status"].tolist() == ["used", "used", "left out", "used", "left out"]
    assert "unknown type 'клуб'" in read.loc[2, "institution_reason"]
    assert "no coordinates" in read.loc[4, "institution_reason"]
    with pytest.raises(ValueError, match="no column 'kind'"):
        read_institutions(frame, type_column="kind")


def test_a_list_with_mongolian_headers_is_read():
    lat, lon = point(0, 0)
    frame = pd.DataFrame(
        {
            "Нэр": ["МУИС", "Банк"],
            "Төрөл": ["Их сургууль", "finance"],
            "Өргөрөг": [lat, lat],
            "Уртраг": [lon, lon],
        }
    )
    read = read_institutions(frame, lat_column="Өргөрөг", lon_column="Уртраг")
    assert read["type"].tolist() == ["education", "finance"]
    assert read["institution_status"].tolist() == ["used", "used"]
    with pytest.raises(ValueError, match="no column for the institution's type"):
        read_institutions(frame.drop(columns="Төрөл"), lat_column="Өргөрөг", lon_column="Уртраг")


def test_the_demo_mining_cluster_has_institutions_around_it(aimags):
    from geo.cluster import cluster_firms
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
    eco = ecosystem(table, institutions_from_register(firms))
    ict = table.index[(table["sector"] == "ict") & (table["soums"].str.startswith("Сүхбаатар"))]
    assert eco.loc[ict[0], "inside_research"] > 0  # planted beside ICT
    mining = table.index[(table["sector"] == "mining") & (table["soums"] == "Цогтцэций")][0]
    assert "research" in eco.loc[mining, "missing_institutions"]
    assert eco.loc[mining, "near_education"] >= 0
