"""Institutions around a cluster: research, education, finance, associations, government.

A cluster grows with the institutions around it (Porter, 1998): research
and development, schools and universities, banks and insurers, associations
and chambers, public administration. They are in the business register like
any firm; their ISIC Rev. 4 division says what they are:

=====================  ==================
type                   ISIC divisions
=====================  ==================
research               72
education              85
finance                64, 65, 66
membership             94
public_administration  84
=====================  ==================

A register codes its divisions as ``"72"``, ``72``, ``"7210"`` (a class) or
``"M72"``: :func:`institution_types` reads the first two digits.
A user may instead give a separate list of institutions with a ``type``
column (a type key, its English or Mongolian name, or a division number):
:func:`read_institutions`. Either way every row keeps a status and reason.

:func:`ecosystem` counts, per cluster, the institutions of each type inside
its outline and within ``distance_km`` of it (distances in the metric
projection of :mod:`geo.projection`), and names the types with none within
the distance: who is missing.

Examples
--------
>>> import pandas as pd
>>> institution_types(pd.Series(["72", "8510", "M64", "47", None])).tolist()
['research', 'education', 'finance', None, None]
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.projection import MONGOLIA_LCC, to_metric
from geo.settings import ECOSYSTEM_DISTANCE_KM

__all__ = [
    "DIVISIONS",
    "INSTITUTION_TYPES",
    "TYPE_HEADERS",
    "TYPE_NAMES",
    "ecosystem",
    "ecosystem_columns",
    "institution_types",
    "institutions_from_register",
    "read_institutions",
]

#: The institution types, in the order they are shown.
INSTITUTION_TYPES = ("research", "education", "finance", "membership", "public_administration")

#: ISIC Rev. 4 division -> institution type.
DIVISIONS: dict[int, str] = {
    72: "research",
    85: "education",
    64: "finance",
    65: "finance",
    66: "finance",
    94: "membership",
    84: "public_administration",
}

#: Names a user's ``type`` column may carry (lower case) -> type key.
TYPE_NAMES: dict[str, str] = {
    **{t: t for t in INSTITUTION_TYPES},
    "research and development": "research",
    "r&d": "research",
    "university": "education",
    "school": "education",
    "bank": "finance",
    "insurance": "finance",
    "association": "membership",
    "chamber": "membership",
    "public administration": "public_administration",
    "government": "public_administration",
    "судалгаа": "research",
    "эрдэм шинжилгээ": "research",
    "судалгаа шинжилгээ": "research",
    "боловсрол": "education",
    "их сургууль": "education",
    "сургууль": "education",
    "санхүү": "finance",
    "банк": "finance",
    "даатгал": "finance",
    "холбоо": "membership",
    "танхим": "membership",
    "гишүүнчлэлийн байгууллага": "membership",
    "төрийн захиргаа": "public_administration",
    "засаг захиргаа": "public_administration",
}

_DIGITS = re.compile(r"(\d{2})")


def institution_types(divisions: pd.Series) -> pd.Series:
    """The institution type of each ISIC division code (None for other divisions).

    Parameters
    ----------
    divisions : Series
        Division or class codes (text or numbers); the first two digits count.

    Returns
    -------
    Series of object
        A key of :data:`INSTITUTION_TYPES` or None, same index.
    """
    text = divisions.astype("string").str.strip()
    numeric = pd.to_numeric(divisions, errors="coerce")
    single = numeric.notna() & (numeric < 10) & (numeric >= 0)
    text = text.where(~single, "0" + numeric.astype("Int64").astype("string"))
    two = text.str.extract(_DIGITS, expand=False)
    out = pd.to_numeric(two, errors="coerce").map(DIVISIONS)
    return pd.Series(
        [v if isinstance(v, str) else None for v in out], index=divisions.index, dtype=object
    )


def institutions_from_register(
    firms: pd.DataFrame,
    *,
    division_column: str = "isic_division",
    lat_column: str = "lat",
    lon_column: str = "lon",
) -> pd.DataFrame:
    """The register's institutions: firms whose division is one of :data:`DIVISIONS`.

    Returns
    -------
    DataFrame
        ``type``, ``lat``, ``lon`` of those located to a point, index of ``firms``
        (an empty table without ``division_column``).
    """
    if division_column not in firms.columns:
        return pd.DataFrame({"type": pd.Series([], dtype=object), "lat": [], "lon": []})
    kind = institution_types(firms[division_column])
    lat = pd.to_numeric(firms[lat_column], errors="coerce")
    lon = pd.to_numeric(firms[lon_column], errors="coerce")
    keep = kind.notna() & lat.notna() & lon.notna()
    return pd.DataFrame(
        {"type": kind[keep], "lat": lat[keep].astype(float), "lon": lon[keep].astype(float)}
    )


def _type_of(value: object) -> str | None:
    text = (
        ""
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
        else str(value).strip().lower()
    )
    if not text:
        return None
    if text in TYPE_NAMES:
        return TYPE_NAMES[text]
    kind = institution_types(pd.Series([text])).iloc[0]
    return kind if isinstance(kind, str) else None


#: Headers read as an uploaded list's institution type, in English and Mongolian (an ISIC
#: division column serves too: its values are read as divisions).
TYPE_HEADERS = (
    "type",
    "institution_type",
    "kind",
    "category",
    "төрөл",
    "turul",
    "torol",
    "ангилал",
    "angilal",
    "isic_division",
    "division",
    "isic",
)


def read_institutions(
    frame: pd.DataFrame,
    *,
    type_column: str | None = None,
    lat_column: str = "lat",
    lon_column: str = "lon",
) -> pd.DataFrame:
    """A user's list of institutions, every row kept with a status and a reason.

    Parameters
    ----------
    frame : DataFrame
        One row per institution with a type and WGS84 coordinates.
    type_column, lat_column, lon_column : str
        Where they are; without ``type_column`` the first header of
        :data:`TYPE_HEADERS` is used (``Төрөл`` as well as ``type``).

    Returns
    -------
    DataFrame
        ``frame`` with ``type`` (a key of :data:`INSTITUTION_TYPES` or None),
        ``lat``, ``lon`` (floats), ``institution_status`` (``"used"`` or
        ``"left out"``) and ``institution_reason`` (which column, which value).

    Raises
    ------
    ValueError
        A missing column, named with the columns there are.
    """
    if type_column is None:
        from geo.ingest import guess_column

        found = guess_column(frame.columns, "type", words=TYPE_HEADERS)
        if found is None:
            raise ValueError(
                f"no column for the institution's type (looked for {', '.join(TYPE_HEADERS)}; "
                f"columns: {', '.join(map(str, frame.columns))})"
            )
        type_column = str(found)
    for column in (type_column, lat_column, lon_column):
        if column not in frame.columns:
            raise ValueError(
                f"no column {column!r} (columns: {', '.join(map(str, frame.columns))})"
            )
    out = frame.copy()
    kinds = [_type_of(v) for v in frame[type_column]]
    lat = pd.to_numeric(frame[lat_column], errors="coerce").to_numpy(float)
    lon = pd.to_numeric(frame[lon_column], errors="coerce").to_numpy(float)
    reasons = []
    for value, kind, y, x in zip(frame[type_column], kinds, lat, lon):
        if kind is None:
            reasons.append(
                f"{type_column}: unknown type {str(value)[:40]!r} (use one of "
                f"{', '.join(INSTITUTION_TYPES)} or an ISIC division)"
            )
        elif not (np.isfinite(y) and np.isfinite(x)):
            reasons.append(f"{lat_column}/{lon_column}: no coordinates")
        else:
            reasons.append("")
    out["type"] = pd.Series(kinds, index=out.index, dtype=object)
    out["lat"] = lat
    out["lon"] = lon
    out["institution_status"] = ["used" if not r else "left out" for r in reasons]
    out["institution_reason"] = reasons
    return out


def ecosystem_columns() -> list[str]:
    """The columns :func:`ecosystem` adds, in order."""
    cols = [f"{where}_{t}" for t in INSTITUTION_TYPES for where in ("inside", "near")]
    return [*cols, "institutions_inside", "institutions_near", "missing_institutions"]


def ecosystem(
    clusters: gpd.GeoDataFrame,
    institutions: pd.DataFrame,
    *,
    distance_km: float = ECOSYSTEM_DISTANCE_KM,
) -> pd.DataFrame:
    """Institutions of each type inside and near each cluster, and the types missing.

    Parameters
    ----------
    clusters : GeoDataFrame
        Cluster outlines (any CRS; e.g. :func:`geo.describe.describe_clusters`).
    institutions : DataFrame
        ``type``, ``lat``, ``lon``; rows with another type or without a place
        (e.g. ``institution_status == "left out"``) are not counted.
    distance_km : float
        The ``near_*`` counts take institutions inside the outline or within
        this distance of it.

    Returns
    -------
    DataFrame
        Index of ``clusters``, columns :func:`ecosystem_columns`:
        ``inside_<type>``, ``near_<type>``, the totals, and
        ``missing_institutions`` (the types with none near, ``"; "``-joined).
    """
    if distance_km < 0:
        raise ValueError(f"the distance must be 0 km or more, got {distance_km:g}")
    n = len(clusters)
    empty = len(institutions) == 0 or "type" not in institutions.columns
    kind = np.array([]) if empty else institutions["type"].astype(object).to_numpy()
    lat = (
        np.array([])
        if empty
        else pd.to_numeric(institutions["lat"], errors="coerce").to_numpy(float)
    )
    lon = (
        np.array([])
        if empty
        else pd.to_numeric(institutions["lon"], errors="coerce").to_numpy(float)
    )
    valid = np.isin(kind, INSTITUTION_TYPES) & np.isfinite(lat) & np.isfinite(lon)
    kind, lat, lon = kind[valid], lat[valid], lon[valid]
    code = np.array([INSTITUTION_TYPES.index(k) for k in kind], dtype=np.int64)
    n_types = len(INSTITUTION_TYPES)
    inside = np.zeros((n, n_types), dtype=np.int64)
    near = np.zeros((n, n_types), dtype=np.int64)
    if n and code.size:
        outlines = clusters.geometry.to_crs(MONGOLIA_LCC).values
        x, y = to_metric(lon, lat)
        points = shapely.points(x, y)
        tree = shapely.STRtree(np.asarray(outlines))
        for target, pairs in (
            (inside, tree.query(points, predicate="intersects")),
            (near, tree.query(points, predicate="dwithin", distance=distance_km * 1000.0)),
        ):
            point, cluster = pairs
            np.add.at(target, (cluster, code[point]), 1)
    table = pd.DataFrame(index=clusters.index)
    for t, name in enumerate(INSTITUTION_TYPES):
        table[f"inside_{name}"] = inside[:, t]
        table[f"near_{name}"] = near[:, t]
    table["institutions_inside"] = inside.sum(axis=1)
    table["institutions_near"] = near.sum(axis=1)
    table["missing_institutions"] = [
        "; ".join(name for t, name in enumerate(INSTITUTION_TYPES) if near[i, t] == 0)
        for i in range(n)
    ]
    return table[ecosystem_columns()]
