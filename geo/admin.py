"""The administrative geography of Mongolia: aimags, regions, soums, districts.

Loads the layers embedded under ``datasets/`` and answers the two questions
every other module asks: *which unit does this name mean?* and *which unit is
this point in?*

Mongolia has 21 aimags and the capital, Ulaanbaatar (together the 22
first-level units, keyed here by their ISO 3166-2:MN code such as ``MN-047``
or ``MN-1``), grouped in five regions; the aimags hold 330 soums and the
capital 9 districts (the second-level units, keyed by a 4-digit NSO-style
unit code whose first two digits are the aimag's NSO code).

Nothing here caches: callers (the Streamlit layer, the command line) decide
how long a loaded layer lives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree
from numpy.typing import ArrayLike

from geo.paths import DATASETS_DIR
from geo.projection import to_metric
from geo.text import cell_text, cyrillic_key, is_missing, latin_skeleton

__all__ = [
    "DATASETS_DIR",
    "REGIONS",
    "AdminIndex",
    "load_aimags",
    "load_regions",
    "load_units",
]

#: Folder of the embedded data.

#: The five regions, in the NSO's order, with their Mongolian names.
REGIONS: dict[str, str] = {
    "Western": "Баруун бүс",
    "Khangai": "Хангайн бүс",
    "Central": "Төвийн бүс",
    "Eastern": "Зүүн бүс",
    "Ulaanbaatar": "Улаанбаатар",
}


def load_aimags(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Load the 22 first-level units (21 aimags and Ulaanbaatar).

    Parameters
    ----------
    path : str or Path, optional
        A GeoJSON file with the same columns; defaults to the embedded
        ``datasets/aimags.geojson``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per unit in EPSG:4326 with ``iso_3166_2``, ``nso_code``,
        ``name_mn``, ``name_en``, ``name_mns5217``, ``latin_variants``,
        ``region_en``, ``region_mn``, ``capital_en``, ``capital_mn``,
        ``capital_lat``, ``capital_lon``, ``area_km2`` (official),
        ``polygon_area_km2``, ``population`` and ``population_year``.
    """
    gdf = gpd.read_file(path or DATASETS_DIR / "aimags.geojson")
    gdf["nso_code"] = gdf["nso_code"].astype(str)
    return gdf.set_crs(4326, allow_override=True)


def load_regions(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Load the five regions dissolved from the aimags (EPSG:4326)."""
    gdf = gpd.read_file(path or DATASETS_DIR / "regions.geojson")
    return gdf.set_crs(4326, allow_override=True)


def load_units(path: str | Path | None = None) -> pd.DataFrame:
    """Load the gazetteer of 330 soums and 9 Ulaanbaatar districts.

    Returns
    -------
    pandas.DataFrame
        ``unit_code``, ``aimag_code`` (ISO 3166-2:MN), ``aimag_nso_code``,
        ``kind`` (``soum`` or ``district``), ``name_mn``, ``name_en``,
        ``variants`` (``;``-separated), ``postal_code``, ``lat``, ``lon``,
        ``centre_source`` (``capital``, ``geonames``, ``geonames_fuzzy``:
        a known settlement; ``polygon``: a polygon's interior point;
        ``aimag``: unknown, the aimag's interior point) and
        ``is_aimag_capital``.
    """
    units = pd.read_csv(
        path or DATASETS_DIR / "admin_units.csv",
        dtype={"unit_code": str, "aimag_nso_code": str, "postal_code": str},
        keep_default_na=False,
    )
    units["lat"] = units["lat"].astype(float)
    units["lon"] = units["lon"].astype(float)
    units["is_aimag_capital"] = units["is_aimag_capital"].astype(str) == "True"
    return units


#: Towns written instead of their soum that are not an aimag's capital (the capitals,
#: ``aimags.capital_mn`` in the soum flagged ``is_aimag_capital``, come from the data).
OTHER_TOWNS: dict[str, tuple[str, str]] = {
    "Өндөрхаан": ("MN-039", "Хэрлэн"),  # Chinggis city's name until 2013
    "Замын-Үүд": ("MN-063", "Замын-Үүд"),
    "Хархорин": ("MN-055", "Хархорин"),
}


def _variants(value: object) -> list[str]:
    """The ``;``-separated variants of a gazetteer cell (none when it is empty or missing)."""
    return [] if is_missing(value) else str(value).split(";")


def _texts(*values: object) -> list[str]:
    """The non-empty strings among ``values``."""
    return [text for text in map(cell_text, values) if text]


@dataclass
class AdminIndex:
    """Name and point lookups over the aimags and the soum gazetteer.

    Parameters
    ----------
    aimags : geopandas.GeoDataFrame
        As returned by :func:`load_aimags`.
    units : pandas.DataFrame
        As returned by :func:`load_units`.
    soums : geopandas.GeoDataFrame, optional
        Complete official soum and district polygons with ``unit_code``
        (:mod:`geo.boundaries`): a point's soum *and* aimag are then the
        polygon it lies in. Without them the aimag comes from ``aimags`` and
        the soum of a point is the nearest unit centre in its aimag (no soum
        polygons are shipped: the only complete set, NSO / UN OCHA COD-AB, may
        not be).
    aimag_polygons : geopandas.GeoDataFrame, optional
        Exact aimag polygons for point in polygon, when :attr:`aimags` holds
        outlines simplified for drawing (official aimag boundaries).

    Examples
    --------
    >>> index = AdminIndex.default()
    >>> index.find_aimags("Uvurkhangai")
    ['MN-055']
    >>> index.locate([47.92], [106.92])["aimag_code"].tolist()
    ['MN-1']
    """

    aimags: gpd.GeoDataFrame
    units: pd.DataFrame
    soums: gpd.GeoDataFrame | None = None
    aimag_polygons: gpd.GeoDataFrame | None = None
    _aimag_by_key: dict[str, set[str]] = field(init=False, repr=False)
    _units_by_key: dict[str, set[int]] = field(init=False, repr=False)
    _units_by_skeleton: dict[str, set[int]] = field(init=False, repr=False)
    _tree: shapely.STRtree = field(init=False, repr=False)
    _tree_codes: np.ndarray = field(init=False, repr=False)
    _centre_trees: dict[str, tuple[cKDTree, np.ndarray]] = field(init=False, repr=False)
    _soum_tree: shapely.STRtree | None = field(init=False, repr=False, default=None)
    _soum_rows: np.ndarray | None = field(init=False, repr=False, default=None)

    @classmethod
    def default(cls) -> "AdminIndex":
        """Build the index from the embedded datasets (no soum polygons: nearest centres)."""
        return cls(load_aimags(), load_units())

    def __post_init__(self) -> None:
        self.aimags = self.aimags.reset_index(drop=True)
        self.units = self.units.reset_index(drop=True)
        self._aimag_by_key = defaultdict(set)
        self._units_by_key = defaultdict(set)
        self._units_by_skeleton = defaultdict(set)
        for name, kind, aimag_code, row in self.spellings():
            if kind == "aimag":
                for key in (cyrillic_key(name), latin_skeleton(name)):
                    if key:
                        self._aimag_by_key[key].add(aimag_code)
            else:
                self._units_by_key[cyrillic_key(name)].add(row)
                self._units_by_skeleton[latin_skeleton(name)].add(row)
        exact = self.aimags if self.aimag_polygons is None else self.aimag_polygons
        self._tree = shapely.STRtree(exact.geometry.values)
        self._tree_codes = exact["iso_3166_2"].to_numpy()
        if self.soums is not None and len(self.soums):
            self.soums = self.soums.reset_index(drop=True)
            row_of = {str(c): i for i, c in enumerate(self.units["unit_code"])}
            rows = np.array([row_of.get(str(c), -1) for c in self.soums["unit_code"]])
            keep = rows >= 0
            self._soum_tree = shapely.STRtree(self.soums.geometry.values[keep])
            self._soum_rows = rows[keep]
        # without soum polygons, the nearest unit centre within the point's aimag
        self._centre_trees = {}
        x, y = to_metric(self.units["lon"].to_numpy(), self.units["lat"].to_numpy())
        for code, idx in self.units.groupby("aimag_code").indices.items():
            rows = np.asarray(idx)
            self._centre_trees[str(code)] = (cKDTree(np.column_stack([x[rows], y[rows]])), rows)

    # -- names ---------------------------------------------------------------
    def spellings(self) -> Iterator[tuple[str, str, str, int]]:
        """Every spelling of every place, the one list of names that all lookups index.

        Yields
        ------
        name : str
            The Cyrillic name, the Latin name, each variant (and for an aimag
            its MNS 5217 form); empty and missing names are skipped.
        kind : str
            ``"aimag"``, ``"soum"`` or ``"district"``.
        aimag_code : str
            ISO 3166-2:MN code of the aimag (of the unit's aimag for a unit).
        row : int
            Row of the unit in :attr:`units`; -1 for an aimag.
        """
        for row in self.aimags.itertuples():
            for name in _texts(
                row.name_mn, row.name_en, row.name_mns5217, *_variants(row.latin_variants)
            ):
                yield name, "aimag", str(row.iso_3166_2), -1
        for i, row in enumerate(self.units.itertuples()):
            for name in _texts(row.name_mn, row.name_en, *_variants(row.variants)):
                yield name, str(row.kind), str(row.aimag_code), i

    def towns(self) -> dict[str, tuple[str, str]]:
        """Towns that addresses name instead of their soum: town -> (aimag code, soum).

        Every aimag capital (``Эрдэнэт`` lies in Bayan-Öndör soum of Orkhon) and
        :data:`OTHER_TOWNS`.
        """
        capitals = self.units[self.units["is_aimag_capital"].fillna(False).astype(bool)]
        soum_of = dict(zip(capitals["aimag_code"], capitals["name_mn"]))
        towns = {
            row.capital_mn: (row.iso_3166_2, soum_of[row.iso_3166_2])
            for row in self.aimags.itertuples()
            if row.iso_3166_2 in soum_of
        }
        return {**towns, **OTHER_TOWNS}

    def aimag(self, code: str) -> pd.Series:
        """The row of the aimag with ISO 3166-2:MN ``code`` (KeyError if none)."""
        hit = self.aimags[self.aimags["iso_3166_2"] == code]
        if hit.empty:
            raise KeyError(f"no aimag with code {code!r}")
        return hit.iloc[0]

    def find_aimags(self, name: str) -> list[str]:
        """ISO codes of the aimags that ``name`` can mean, in any spelling.

        Matches the Cyrillic name, the Latin names and variants, the MNS 5217
        form and the ISO code itself, exactly after folding (see
        :mod:`geo.text`). Returns an empty list when nothing matches.
        """
        code = name.strip().upper()
        if code in set(self.aimags["iso_3166_2"]):
            return [code]
        hits = self._aimag_by_key.get(cyrillic_key(name), set()) | self._aimag_by_key.get(
            latin_skeleton(name), set()
        )
        return sorted(hits)

    def find_units(self, name: str, aimag_code: str | None = None) -> pd.DataFrame:
        """Soums and districts that ``name`` can mean, optionally within one aimag.

        An exact Cyrillic match wins over a skeleton match, so that a name
        typed correctly is not confused with a different name that shares its
        skeleton. The result may hold several rows: soum names repeat across
        aimags (``Жаргалант`` is a soum in six).
        """
        rows = self._units_by_key.get(cyrillic_key(name), set())
        if aimag_code is not None:
            rows = {i for i in rows if self.units.at[i, "aimag_code"] == aimag_code}
        if not rows:
            rows = self._units_by_skeleton.get(latin_skeleton(name), set())
            if aimag_code is not None:
                rows = {i for i in rows if self.units.at[i, "aimag_code"] == aimag_code}
        return self.units.loc[sorted(rows)]

    def unit(self, unit_code: str) -> pd.Series:
        """The gazetteer row of ``unit_code`` (KeyError if none)."""
        hit = self.units[self.units["unit_code"] == str(unit_code)]
        if hit.empty:
            raise KeyError(f"no soum or district with code {unit_code!r}")
        return hit.iloc[0]

    # -- points --------------------------------------------------------------
    def locate(self, lat: ArrayLike, lon: ArrayLike) -> pd.DataFrame:
        """Say which aimag and which soum or district each point falls in.

        With official soum boundaries (:attr:`soums`) both come from the soum
        polygon the point lies in. Otherwise the aimag comes from point in
        polygon over :attr:`aimags`, and the soum is the nearest unit centre
        within that aimag (an estimate: exact for a firm in a soum centre,
        right for about three points in four elsewhere; see
        ``datasets/SOURCES.md``).

        Parameters
        ----------
        lat, lon : array-like of float
            WGS84 coordinates, decimal degrees.

        Returns
        -------
        pandas.DataFrame
            One row per point, in order, with ``aimag_code``, ``unit_code``
            (missing for points outside Mongolia) and ``soum_source``
            (``official polygon`` or ``nearest centre``;
            empty outside Mongolia).
        """
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        n = len(lat)
        aimag_code = np.full(n, None, dtype=object)
        unit_code = np.full(n, None, dtype=object)
        source = np.full(n, "", dtype=object)
        ok = np.isfinite(lat) & np.isfinite(lon)
        where = np.flatnonzero(ok)
        points = shapely.points(lon[ok], lat[ok])
        unit_codes = self.units["unit_code"].to_numpy()
        unit_aimags = self.units["aimag_code"].to_numpy()
        if self._soum_tree is not None and self._soum_rows is not None:
            pidx, gidx = self._soum_tree.query(points, predicate="within")
            first = np.unique(pidx, return_index=True)[1]  # on a shared border: the first
            rows = self._soum_rows[gidx[first]]
            at = where[pidx[first]]
            aimag_code[at], unit_code[at] = unit_aimags[rows], unit_codes[rows]
            source[at] = "official polygon"
            return pd.DataFrame(
                {"aimag_code": aimag_code, "unit_code": unit_code, "soum_source": source}
            )
        if ok.any():
            pidx, gidx = self._tree.query(points, predicate="within")
            codes = self._tree_codes
            # a point on a shared border is in two polygons: keep the first
            first = np.unique(pidx, return_index=True)[1]
            aimag_code[where[pidx[first]]] = codes[gidx[first]]
        x, y = to_metric(lon, lat)
        todo = (aimag_code != None) & (unit_code == None)  # noqa: E711
        for code in pd.unique(aimag_code[todo]):
            sel = np.flatnonzero(todo & (aimag_code == code))
            tree, idx = self._centre_trees[code]
            _, nearest = tree.query(np.column_stack([x[sel], y[sel]]))
            unit_code[sel] = unit_codes[idx[nearest]]
            source[sel] = "nearest centre"
        return pd.DataFrame(
            {"aimag_code": aimag_code, "unit_code": unit_code, "soum_source": source}
        )
