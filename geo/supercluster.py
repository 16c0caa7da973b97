"""Super-cluster candidates: clusters of related sectors that lie together.

A super-cluster (a cluster of clusters: mines with their drilling contractors and
hauliers, meat plants with tanneries) is more than one sector's cluster. Here it
is proposed, not proved, by one explicit rule:

Rule
    Two clusters of *different* sectors belong together when their sectors are
    related (:func:`geo.colocation.colocation_quotients`' ``related``, in either
    direction) with a co-location quotient of at least ``min_colocation`` (1.5 by
    default: half again as often as all firms; in a large register a small p-value
    alone also picks the weak affinities that every city shows, such as trade and
    services) and their outlines overlap or lie within ``gap_km`` of each other
    (measured in the metric projection of :mod:`geo.projection`). Groups are the
    connected components of that relation (union-find); a candidate has at least
    two clusters.

Facts and stage
    A candidate lists its sectors and clusters, sums firms and employees, and
    spans the union of its members' aimags and regions. Its outline is the convex
    hull of its members' outlines. The stage rules of :class:`geo.describe.StageRules`
    apply to the group: the span rules to the union of aimags and regions, the
    size rules to its best-placed member (lowest national and regional rank,
    largest shares), the orientation rules to the shares of exporting and
    foreign-owned firms over all its firms.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.describe import StageRules, assign_stage
from geo.projection import MONGOLIA_LCC
from geo.settings import SUPERCLUSTER_GAP_KM, SUPERCLUSTER_MIN_COLOCATION

__all__ = ["COLUMNS", "related_sector_pairs", "supercluster_candidates"]

#: Columns of :func:`supercluster_candidates` (then ``geometry``).
COLUMNS = (
    "supercluster",
    "sectors",
    "clusters",
    "n_clusters",
    "n_sectors",
    "firms",
    "employees",
    "aimag_codes",
    "n_aimags",
    "regions",
    "n_regions",
    "exporter_share",
    "foreign_share",
    "stage",
    "stage_reason",
)


def related_sector_pairs(
    colocation: pd.DataFrame, min_colocation: float = 1.0
) -> set[frozenset[str]]:
    """Unordered pairs of different sectors related in either direction, with a quotient of
    at least ``min_colocation``."""
    rows = colocation[
        colocation["related"].astype(bool)
        & (colocation["sector_a"] != colocation["sector_b"])
        & (colocation["colocation"] >= min_colocation)
    ]
    return {frozenset((str(a), str(b))) for a, b in zip(rows["sector_a"], rows["sector_b"])}


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _split(values: pd.Series) -> list[set[str]]:
    return [set(filter(None, str(v).split("; "))) if isinstance(v, str) else set() for v in values]


def supercluster_candidates(
    clusters: gpd.GeoDataFrame,
    colocation: pd.DataFrame,
    *,
    by: str = "sector",
    gap_km: float = SUPERCLUSTER_GAP_KM,
    min_colocation: float = SUPERCLUSTER_MIN_COLOCATION,
    rules: StageRules | None = None,
) -> gpd.GeoDataFrame:
    """Groups of clusters of related sectors whose outlines overlap or nearly touch.

    Parameters
    ----------
    clusters : GeoDataFrame
        :func:`geo.describe.describe_clusters` output (outlines, facts, stage inputs).
    colocation : DataFrame
        :func:`geo.colocation.colocation_quotients` output over the same firms.
    by : str, default "sector"
        The clusters' group column (the colocation's ``sector_a``/``sector_b`` values).
    gap_km : float
        Largest gap between two outlines, km (0: they must overlap or touch).
    min_colocation : float
        Smallest co-location quotient of a related pair that links clusters.
    rules : StageRules, optional
        Stage thresholds (default :class:`geo.describe.StageRules` ()).

    Returns
    -------
    GeoDataFrame
        One row per candidate (EPSG:4326), columns :data:`COLUMNS` and the outline,
        largest employment first; empty when no two clusters qualify.

    Examples
    --------
    >>> import shapely, geopandas as gpd, pandas as pd
    >>> clusters = gpd.GeoDataFrame(
    ...     {
    ...         "cluster": [0, 1, 2],
    ...         "sector": ["mining", "haulage", "tourism"],
    ...         "firms": [30, 12, 20],
    ...         "employees": [900, 80, 60],
    ...         "aimag_codes": ["MN-053", "MN-053", "MN-041"],
    ...         "regions": ["Gobi"] * 2 + ["West"],
    ...         "n_aimags": 1,
    ...         "n_regions": 1,
    ...         "rank_national": [1, 2, 1],
    ...         "rank_in_region": 1,
    ...         "sector_share": [0.4, 0.05, 0.3],
    ...         "region_share": [0.5, 0.1, 0.4],
    ...         "exporter_share": [0.5, 0.0, 0.1],
    ...         "foreign_share": [0.2, 0.0, 0.0],
    ...     },
    ...     geometry=[
    ...         shapely.box(104, 43, 104.1, 43.1),
    ...         shapely.box(104.1, 43, 104.2, 43.1),
    ...         shapely.box(104.15, 43, 104.3, 43.1),
    ...     ],
    ...     crs=4326,
    ... )
    >>> related = pd.DataFrame(
    ...     {
    ...         "sector_a": ["mining"],
    ...         "sector_b": ["haulage"],
    ...         "colocation": [3.2],
    ...         "related": [True],
    ...     }
    ... )
    >>> found = supercluster_candidates(clusters, related)
    >>> found[["sectors", "clusters", "firms"]].values.tolist()
    [['mining; haulage', '0; 1', 42]]
    """
    rules = rules or StageRules()
    if gap_km < 0:
        raise ValueError(f"the gap must be 0 km or more, got {gap_km:g}")
    related = related_sector_pairs(colocation, min_colocation)
    n = len(clusters)
    empty = gpd.GeoDataFrame(pd.DataFrame(columns=list(COLUMNS)), geometry=[], crs=4326)
    if n < 2 or not related:
        return empty
    table = clusters.reset_index(drop=True)
    sectors = table[by].astype(str).to_numpy()
    outlines = np.asarray(table.geometry.to_crs(MONGOLIA_LCC).values)
    tree = shapely.STRtree(outlines)
    left, right = tree.query(outlines, predicate="dwithin", distance=gap_km * 1000.0)
    parent = list(range(n))
    for i, j in zip(left.tolist(), right.tolist()):
        if i < j and sectors[i] != sectors[j] and frozenset((sectors[i], sectors[j])) in related:
            parent[_find(parent, i)] = _find(parent, j)
    roots = np.array([_find(parent, i) for i in range(n)])
    aimag_sets = _split(table["aimag_codes"]) if "aimag_codes" in table else [set()] * n
    region_sets = _split(table["regions"]) if "regions" in table else [set()] * n
    rows, hulls = [], []
    for root in pd.unique(roots):
        members = np.flatnonzero(roots == root)
        if len(members) < 2:
            continue
        part = table.iloc[members]
        firms = part["firms"].astype(float)
        order = part.sort_values("employees", ascending=False)
        aimags = set().union(*(aimag_sets[m] for m in members))
        regions = set().union(*(region_sets[m] for m in members))
        facts = {
            "n_aimags": len(aimags),
            "n_regions": len(regions),
            "rank_national": int(part["rank_national"].min()),
            "rank_in_region": int(part["rank_in_region"].min()),
            "sector_share": float(part["sector_share"].max()),
            "region_share": float(part["region_share"].max()),
            "exporter_share": float(np.average(part["exporter_share"].fillna(0), weights=firms)),
            "foreign_share": float(np.average(part["foreign_share"].fillna(0), weights=firms)),
        }
        stage, reason = assign_stage(facts, rules)
        rows.append(
            {
                "sectors": "; ".join(pd.unique(order[by].astype(str))),
                "clusters": "; ".join(str(int(c)) for c in order["cluster"]),
                "n_clusters": len(members),
                "n_sectors": int(part[by].nunique()),
                "firms": int(firms.sum()),
                "employees": float(part["employees"].sum()),
                "aimag_codes": "; ".join(sorted(aimags)),
                "n_aimags": len(aimags),
                "regions": "; ".join(sorted(regions)),
                "n_regions": len(regions),
                "exporter_share": facts["exporter_share"],
                "foreign_share": facts["foreign_share"],
                "stage": stage,
                "stage_reason": reason,
            }
        )
        hulls.append(shapely.union_all(outlines[members]).convex_hull)
    if not rows:
        return empty
    out = pd.DataFrame(rows)
    geometry = gpd.GeoSeries(hulls, crs=MONGOLIA_LCC).to_crs(4326)
    result = gpd.GeoDataFrame(out, geometry=geometry.values, crs=4326)
    result = result.sort_values(["employees", "sectors"], ascending=[False, True])
    result.insert(0, "supercluster", np.arange(1, len(result) + 1))
    return result[[*COLUMNS, "geometry"]].reset_index(drop=True)
