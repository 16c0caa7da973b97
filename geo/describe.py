"""Describe clusters so that a development officer can act on them, and rate their stage.

:func:`describe_clusters` turns the labels of :func:`geo.cluster.cluster_firms`
into one row per cluster: its sector, size, weight in the sector, outline,
the aimags and soums it touches, its export and foreign orientation, and its
stage of development.

Stages
------
Clusters grow from local to international (Porter, 1998; the development
path used in Mongolia's regional cluster policy). :class:`StageRules` makes
each step an explicit, tested rule over measured facts of the cluster:

``local``
    Within one aimag, and none of the rules below holds.
``regional``
    Spans at least ``regional_min_aimags`` aimags of one region, or is the
    region's leading concentration of its sector: its largest cluster by
    employment, with at least ``regional_lead_share`` of the sector's
    employment in the region.
``national``
    Spans at least ``national_min_regions`` regions, or is among the
    ``national_top_n`` largest clusters of its sector in the country by
    employment with at least ``national_min_share`` of the sector's national
    employment.
``international``
    National, and clearly oriented abroad: at least ``export_share`` of its
    firms export, or at least ``foreign_share`` are foreign-owned.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.projection import MONGOLIA_LCC, to_metric

__all__ = [
    "MEMBER_COLUMNS",
    "STAGES",
    "StageRules",
    "cluster_members",
    "cluster_outline",
    "describe_clusters",
]

#: The stages, from smallest to largest reach.
STAGES = ("local", "regional", "national", "international")


@dataclass(frozen=True)
class StageRules:
    """Thresholds of the stage rules (see the module documentation).

    Parameters
    ----------
    regional_min_aimags : int, default 2
        Aimags of one region a regional cluster spans.
    regional_lead_share : float, default 0.25
        Share of the region's employment in the sector that the region's
        leading cluster must hold to count as regional.
    national_min_regions : int, default 2
        Regions a national cluster spans.
    national_top_n : int, default 3
        How many of the sector's largest clusters can be national by size.
    national_min_share : float, default 0.10
        Share of the sector's national employment that such a cluster holds.
    export_share : float, default 0.30
        Share of exporting firms that makes a national cluster international.
    foreign_share : float, default 0.20
        Share of foreign-owned firms that does the same.
    """

    regional_min_aimags: int = 2
    regional_lead_share: float = 0.25
    national_min_regions: int = 2
    national_top_n: int = 3
    national_min_share: float = 0.10
    export_share: float = 0.30
    foreign_share: float = 0.20

    def as_dict(self) -> dict[str, float]:
        """The thresholds by name (for export metadata)."""
        return asdict(self)


def cluster_outline(
    x: np.ndarray, y: np.ndarray, *, ratio: float = 0.4, buffer_m: float = 100.0
) -> tuple[shapely.Geometry, float]:
    """Outline of a cluster's firms in projected metres, and its area in km2.

    A concave hull (shapely's ``concave_hull`` with the given ratio) follows
    the shape of elongated clusters along a road or a valley; the convex
    hull is the fallback when the concave one degenerates. The outline is
    widened by ``buffer_m`` so that firms on it stay visibly inside; the area
    is that of the hull before widening (0 for firms at one point or on a
    line). Positions are snapped to a 25 m grid first: the outline's detail
    stays far below its widening, and a cluster of 50,000 firms costs what
    a few thousand distinct positions cost.
    """
    pts = np.unique(np.round(np.column_stack([x, y]) / 25.0), axis=0) * 25.0
    multipoint: shapely.MultiPoint = shapely.multipoints(pts)  # type: ignore[assignment]
    hull: BaseGeometry | None = None
    if len(pts) >= 4:
        hull = shapely.concave_hull(multipoint, ratio=ratio)
    if hull is None or hull.geom_type != "Polygon" or hull.area <= 0:
        hull = multipoint.convex_hull
    area = hull.area / 1e6 if hull.geom_type == "Polygon" else 0.0
    return hull.buffer(buffer_m, quad_segs=4), float(area)


def _ranked_lists(
    cluster: np.ndarray, values: pd.Series, top: int | None = None, with_share: bool = False
) -> pd.Series:
    """Per cluster, its distinct non-empty values joined by "; ", most frequent first."""
    frame = pd.DataFrame({"cluster": cluster, "value": values.astype("string").to_numpy()})
    frame = frame[frame["value"].notna() & (frame["value"] != "")]
    counts = frame.groupby(["cluster", "value"]).size().rename("n").reset_index()
    counts["share"] = counts["n"] / counts.groupby("cluster")["n"].transform("sum")
    counts = counts.sort_values(["cluster", "n", "value"], ascending=[True, False, True])
    if top is not None:
        counts = counts.groupby("cluster").head(top)
    text = (
        (counts["value"] + " (" + (counts["share"] * 100).round().astype(int).astype(str) + "%)")
        if with_share
        else counts["value"]
    )
    return text.groupby(counts["cluster"]).agg("; ".join)


def _bool_share(cluster: np.ndarray, values: pd.Series | None) -> pd.Series:
    if values is None:
        return pd.Series(dtype=float)
    v = values.map(
        {True: 1.0, False: 0.0, "True": 1.0, "False": 0.0, "true": 1.0, "false": 0.0}
    ).astype(float)
    return pd.Series(v.to_numpy(), index=cluster).groupby(level=0).mean()


def describe_clusters(
    firms: pd.DataFrame,
    *,
    aimags: pd.DataFrame,
    by: str | None = "sector",
    weight: str | None = "employees",
    rules: StageRules | None = None,
    lat_column: str = "lat",
    lon_column: str = "lon",
    division_column: str = "isic_division",
    exporter_column: str = "exporter",
    foreign_column: str = "foreign_owned",
    outline_ratio: float = 0.4,
) -> gpd.GeoDataFrame:
    """One row per cluster: who, how big, where, how far it reaches.

    Parameters
    ----------
    firms : DataFrame
        Output of :func:`geo.cluster.cluster_firms` (a ``cluster`` column)
        with ``aimag_code`` and, if known, ``soum``. All rows count for the
        sector totals, clustered or not.
    aimags : DataFrame
        :func:`geo.admin.load_aimags`: gives each aimag's name and region.
    by : str or None, default "sector"
        The column clusters were grouped by.
    weight : str or None, default "employees"
        Employment column; without it shares are shares of firms.
    rules : StageRules, optional
        Thresholds of the stages; defaults to :class:`StageRules` ().
    lat_column, lon_column, division_column, exporter_column, foreign_column : str
        Where these facts are; absent columns give missing values.
    outline_ratio : float, default 0.4
        Concavity of the outline (0 most concave, 1 convex).

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326, one row per cluster, ordered by ``cluster``, with
        ``cluster``, the ``by`` column, ``firms``, ``employees``,
        ``sector_share`` (of the sector's national employment),
        ``dominant_divisions``, ``centroid_lat``, ``centroid_lon``,
        ``area_km2``, ``density_firms_km2``, ``aimag_codes``, ``aimags``,
        ``soums``, ``regions``, ``n_aimags``, ``n_regions``,
        ``exporter_share``, ``foreign_share``, ``region_share``,
        ``rank_in_region``, ``rank_national``, ``stage``, ``stage_reason``
        and the outline as ``geometry``.
    """
    rules = rules or StageRules()
    if "cluster" not in firms.columns:
        raise ValueError("no 'cluster' column: run geo.cluster.cluster_firms first")
    frame = firms.reset_index(drop=True)
    n = len(frame)
    group = (
        frame[by].astype("string").fillna("(none)")
        if by is not None
        else pd.Series(["all"] * n, dtype="string")
    )
    group_name = by or "group"
    if weight is not None and weight in frame.columns:
        emp = pd.to_numeric(frame[weight], errors="coerce").fillna(0).clip(lower=0)
    else:
        emp = pd.Series(np.ones(n))
    region_of = dict(zip(aimags["iso_3166_2"], aimags["region_en"]))
    name_of = dict(zip(aimags["iso_3166_2"], aimags["name_mn"]))
    code = (
        frame["aimag_code"].astype("string")
        if "aimag_code" in frame.columns
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    region = code.map(region_of)

    national = emp.groupby(group).sum()
    regional = emp.groupby([group, region]).sum()

    labels = frame["cluster"].to_numpy(dtype=np.int64)
    lat = pd.to_numeric(frame[lat_column], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(frame[lon_column], errors="coerce").to_numpy(dtype=float)
    exporter = frame[exporter_column] if exporter_column in frame.columns else None
    foreign = frame[foreign_column] if foreign_column in frame.columns else None
    division = frame[division_column] if division_column in frame.columns else None
    soum = frame["soum"] if "soum" in frame.columns else None

    columns = [
        "cluster",
        group_name,
        "firms",
        "employees",
        "sector_share",
        "dominant_divisions",
        "centroid_lat",
        "centroid_lon",
        "area_km2",
        "density_firms_km2",
        "aimag_codes",
        "aimags",
        "soums",
        "regions",
        "n_aimags",
        "n_regions",
        "exporter_share",
        "foreign_share",
        "region_share",
        "rank_in_region",
        "rank_national",
        "stage",
        "stage_reason",
    ]
    clustered = np.flatnonzero(labels >= 0)
    if clustered.size == 0:
        return gpd.GeoDataFrame(pd.DataFrame(columns=columns), geometry=[], crs=4326)
    cl = labels[clustered]
    sub_group = group.iloc[clustered].reset_index(drop=True)
    sub_emp = emp.iloc[clustered].reset_index(drop=True)
    sub_code = code.iloc[clustered].reset_index(drop=True)
    sub_region = region.iloc[clustered].reset_index(drop=True)
    by_cluster = pd.DataFrame(
        {
            "cluster": cl,
            "group": sub_group,
            "employees": sub_emp,
            "lat": lat[clustered],
            "lon": lon[clustered],
        }
    ).groupby("cluster")
    table = by_cluster.agg(
        group=("group", "first"),
        firms=("group", "size"),
        employees=("employees", "sum"),
        centroid_lat=("lat", "mean"),
        centroid_lon=("lon", "mean"),
    )
    ids = table.index.to_numpy()
    table["sector_share"] = table["employees"] / table["group"].map(national).replace(0, np.nan)
    table["dominant_divisions"] = (
        _ranked_lists(cl, division.iloc[clustered], 3, True) if division is not None else ""
    )
    table["aimag_codes"] = _ranked_lists(cl, sub_code)
    table["aimags"] = _ranked_lists(cl, sub_code.map(name_of))
    table["soums"] = _ranked_lists(cl, soum.iloc[clustered]) if soum is not None else ""
    table["regions"] = _ranked_lists(cl, sub_region)
    table["main_region"] = table["regions"].str.split("; ").str[0]
    table["n_aimags"] = pd.Series(sub_code.to_numpy(), index=cl).groupby(level=0).nunique()
    table["n_regions"] = pd.Series(sub_region.to_numpy(), index=cl).groupby(level=0).nunique()
    table["exporter_share"] = _bool_share(
        cl, exporter.iloc[clustered] if exporter is not None else None
    )
    table["foreign_share"] = _bool_share(
        cl, foreign.iloc[clustered] if foreign is not None else None
    )
    region_total = pd.Series(
        [regional.get((g, r), np.nan) for g, r in zip(table["group"], table["main_region"])],
        index=table.index,
    )
    table["region_share"] = table["employees"] / region_total.replace(0, np.nan)
    for col in ("dominant_divisions", "aimag_codes", "aimags", "soums", "regions"):
        table[col] = table[col].fillna("")
    table[["n_aimags", "n_regions"]] = table[["n_aimags", "n_regions"]].fillna(0).astype(int)

    outlines, areas = [], []
    x_all, y_all = to_metric(np.nan_to_num(lon, nan=105.0), np.nan_to_num(lat, nan=47.0))
    order = clustered[np.argsort(cl, kind="stable")]
    starts = np.searchsorted(labels[order], ids)
    for members in np.split(order, starts[1:]):
        outline, area = cluster_outline(x_all[members], y_all[members], ratio=outline_ratio)
        outlines.append(outline)
        areas.append(area)
    table["area_km2"] = areas
    table["density_firms_km2"] = np.where(
        table["area_km2"] > 0.01, table["firms"] / table["area_km2"].clip(lower=0.01), np.nan
    )
    table = table.reset_index().rename(columns={"group": group_name})
    table["rank_national"] = (
        table.groupby(group_name)["employees"].rank(ascending=False, method="min").astype(int)
    )
    table["rank_in_region"] = (
        table.groupby([group_name, "main_region"], dropna=False)["employees"]
        .rank(ascending=False, method="min")
        .astype(int)
    )
    stages = [assign_stage(row, rules) for row in table.itertuples(index=False)]
    table["stage"] = [s for s, _ in stages]
    table["stage_reason"] = [r for _, r in stages]
    geometry = gpd.GeoSeries(outlines, crs=MONGOLIA_LCC).to_crs(4326)
    return gpd.GeoDataFrame(table[columns], geometry=geometry.values, crs=4326)


def assign_stage(row: Any, rules: StageRules) -> tuple[str, str]:
    """Stage of one described cluster and the rule that gave it.

    ``row`` needs ``n_aimags``, ``n_regions``, ``rank_in_region``,
    ``region_share``, ``rank_national``, ``sector_share``,
    ``exporter_share`` and ``foreign_share`` (attributes or keys).
    """

    def get(key: str) -> Any:
        return row[key] if isinstance(row, dict) else getattr(row, key)

    national_reason = None
    if get("n_regions") >= rules.national_min_regions:
        national_reason = f"spans {get('n_regions')} regions"
    elif (
        get("rank_national") <= rules.national_top_n
        and get("sector_share") >= rules.national_min_share
    ):
        national_reason = (
            f"no. {get('rank_national')} of its sector in Mongolia with "
            f"{get('sector_share'):.0%} of the sector's employment"
        )
    if national_reason:
        exp, fo = get("exporter_share"), get("foreign_share")
        if exp >= rules.export_share:
            return "international", f"{national_reason}; {exp:.0%} of its firms export"
        if fo >= rules.foreign_share:
            return "international", f"{national_reason}; {fo:.0%} of its firms foreign-owned"
        return "national", national_reason
    if get("n_aimags") >= rules.regional_min_aimags:
        return "regional", f"spans {get('n_aimags')} aimags of one region"
    if get("rank_in_region") == 1 and get("region_share") >= rules.regional_lead_share:
        return "regional", (
            f"leading cluster of its sector in its region with "
            f"{get('region_share'):.0%} of the region's employment in it"
        )
    return "local", "within one aimag, below the regional thresholds"


#: The columns of a cluster's list of firms, in this order (those the data has).
MEMBER_COLUMNS = (
    "firm_id",
    "name",
    "sector",
    "employees",
    "founded",
    "address",
    "aimag",
    "soum",
    "precision",
    "lat",
    "lon",
)


def cluster_members(
    firms: pd.DataFrame, cluster: int, *, columns: tuple[str, ...] = MEMBER_COLUMNS
) -> pd.DataFrame:
    """The firms of one cluster, the largest employers first.

    Parameters
    ----------
    firms : pandas.DataFrame
        Firms labelled by :func:`geo.cluster.cluster_firms` (a ``cluster`` column).
    cluster : int
        The cluster's number.
    columns : tuple of str
        The columns to keep, in order; those ``firms`` lacks are left out.

    Returns
    -------
    pandas.DataFrame
        One row per firm of the cluster (none when the number is unknown), sorted by
        employees (descending, missing last), then name.

    Examples
    --------
    >>> firms = pd.DataFrame(
    ...     {"name": ["a", "b", "c"], "employees": [5, 50, 7], "cluster": [1, 1, -1]}
    ... )
    >>> cluster_members(firms, 1)["name"].tolist()
    ['b', 'a']
    """
    if "cluster" not in firms.columns:
        return pd.DataFrame(columns=[c for c in columns if c in firms.columns])
    labels = pd.to_numeric(firms["cluster"], errors="coerce")
    members = firms.loc[(labels == cluster).to_numpy(), [c for c in columns if c in firms.columns]]
    order = [c for c in ("employees", "name") if c in members.columns]
    if order:
        members = members.sort_values(
            order, ascending=[c != "employees" for c in order], na_position="last", kind="stable"
        )
    return members.reset_index(drop=True)
