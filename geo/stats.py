"""Aimag, region and district statistics of sectors: size, specialisation, strength.

The indicators follow the U.S. Cluster Mapping Project (Delgado, Porter and
Stern, 2014, 2016) and the European Cluster Panorama / European Cluster
Observatory (Ketels and Protsiv, 2021), computed for Mongolia's units. For a
sector *s* and a unit *u* (an aimag, a region, or an Ulaanbaatar district),
with employment *e* and firm counts *f*:

``share_of_unit_employment``
    e(s, u) / e(u): the sector's weight in the unit's economy.
``share_of_sector_employment``
    e(s, u) / e(s, Mongolia): the unit's part of the sector.
``lq_employment``
    Location quotient, (e(s, u) / e(u)) / (e(s, Mongolia) / e(Mongolia)):
    above 1, the unit is more specialised in the sector than the country.
    ``lq_firms`` is the same with firm counts. Ratios of small counts swing
    wildly: ``lq_note`` flags units with fewer than ``small_count`` firms of
    the sector.
``firms_per_10k``, ``employees_per_10k``
    Per 10,000 inhabitants (population census 2020; ``population_year``).
``hhi``
    Herfindahl-Hirschman index of the unit's sector mix, the sum over
    sectors of share_of_unit_employment squared: 1 for a one-sector economy,
    1/k for k equal sectors. ``effective_sectors`` is 1 / hhi.
``cmp_strong``
    U.S. Cluster Mapping Project's strong cluster: LQ (employment) at or
    above the 75th percentile of the sector's LQs across units and at least
    1, and employment and firm count above their 25th percentiles across
    units. The thresholds are given in ``cmp_lq_p75``, ``cmp_employees_p25``
    and ``cmp_firms_p25`` so a reader sees why.
``eco_size``, ``eco_specialisation``, ``eco_focus``, ``eco_stars``
    European Cluster Observatory stars: size, the unit is among the top 10%
    of units by the sector's employment; specialisation, LQ >= 2; focus, the
    unit is among the top 10% by the sector's share of the unit's
    employment. ``eco_stars`` counts them (0-3).

Percentiles are taken over the units of the chosen level, zeros included
(linear interpolation, ``numpy.percentile``'s default); the country's own
row (``MN``) is reported but takes no part in them.

Spatial autocorrelation (:func:`morans_i`): global Moran's I of an indicator
across the 22 first-level units with queen contiguity weights
(row-standardised) and a permutation p-value, and local Moran (LISA)
quadrants, computed with PySAL (``esda``, ``libpysal``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geo.admin import DATASETS_DIR, REGIONS

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "LEVELS",
    "COUNTRY",
    "MoranResult",
    "load_districts",
    "morans_i",
    "sector_statistics",
    "unit_profile",
]

#: Levels at which statistics are computed.
LEVELS = ("aimag", "region", "district")

#: Code and names of the row for the whole country.
COUNTRY = ("MN", "Монгол Улс", "Mongolia")

#: The key column of each level.
KEY_COLUMN = {"aimag": "aimag_code", "region": "region", "district": "district_code"}


def load_districts(path: str | Path | None = None) -> pd.DataFrame:
    """Ulaanbaatar's 9 districts with population 2020 (``datasets/ub_districts.csv``)."""
    return pd.read_csv(path or DATASETS_DIR / "ub_districts.csv", dtype={"unit_code": str})


def _units(level: str, aimags: pd.DataFrame, districts: pd.DataFrame | None) -> pd.DataFrame:
    """The units of a level: key, names, region, population."""
    if level == "aimag":
        return pd.DataFrame(
            {
                "key": aimags["iso_3166_2"].to_numpy(),
                "name_mn": aimags["name_mn"].to_numpy(),
                "name_en": aimags["name_en"].to_numpy(),
                "region": aimags["region_en"].to_numpy(),
                "population": aimags["population"].to_numpy(dtype=float),
                "population_year": aimags["population_year"].to_numpy(),
            }
        )
    if level == "region":
        grouped = aimags.groupby("region_en", sort=False)
        pop = grouped["population"].sum()
        year = grouped["population_year"].max()
        keys = [r for r in REGIONS if r in pop.index]  # in the NSO's order
        names = grouped["region_mn"].first() if "region_mn" in aimags.columns else REGIONS
        return pd.DataFrame(
            {
                "key": keys,
                "name_mn": [names[r] for r in keys],
                "name_en": keys,
                "region": keys,
                "population": pop[keys].to_numpy(dtype=float),
                "population_year": year[keys].to_numpy(),
            }
        )
    if level == "district":
        districts = load_districts() if districts is None else districts
        return pd.DataFrame(
            {
                "key": districts["unit_code"].astype(str).to_numpy(),
                "name_mn": districts["name_mn"].to_numpy(),
                "name_en": districts["name_en"].to_numpy(),
                "region": "Ulaanbaatar",
                "population": districts["population_2020"].to_numpy(dtype=float),
                "population_year": districts["population_year"].to_numpy(),
            }
        )
    raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")


def _unit_of_firm(
    firms: pd.DataFrame, level: str, aimags: pd.DataFrame, units: pd.DataFrame
) -> pd.Series:
    if "aimag_code" not in firms.columns:
        raise ValueError("no 'aimag_code' column: geocode the firms or locate them first")
    code = firms["aimag_code"].astype("string")
    if level == "aimag":
        return code.where(code.isin(units["key"]))
    if level == "region":
        return code.map(dict(zip(aimags["iso_3166_2"], aimags["region_en"]))).astype("string")
    # districts: Ulaanbaatar firms by the name of their district (geocoder's `soum`)
    if "district_code" in firms.columns:
        return firms["district_code"].astype("string").where(code == "MN-1")
    if "soum" not in firms.columns:
        raise ValueError("district level needs a 'soum' (district name) or 'district_code' column")
    by_name = dict(zip(units["name_mn"], units["key"]))
    return firms["soum"].astype("string").map(by_name).where(code == "MN-1").astype("string")


def sector_statistics(
    firms: pd.DataFrame,
    *,
    aimags: pd.DataFrame,
    level: str = "aimag",
    by: str = "sector",
    weight: str | None = "employees",
    districts: pd.DataFrame | None = None,
    small_count: int = 5,
    include_country: bool = True,
) -> pd.DataFrame:
    """Size, specialisation and strength of every sector in every unit of a level.

    Parameters
    ----------
    firms : DataFrame
        One row per firm with ``aimag_code`` (ISO 3166-2:MN), the ``by``
        column and the ``weight`` column; for ``level="district"`` also the
        district's Cyrillic name in ``soum`` (as the geocoder writes it) or
        its unit code in ``district_code``. Firms without an aimag count in
        no unit but in the country's totals.
    aimags : DataFrame
        :func:`geo.admin.load_aimags` (names, regions, population).
    level : {"aimag", "region", "district"}
    by : str, default "sector"
        The grouping: a sector key, an ISIC section or division column.
    weight : str or None, default "employees"
        Employment column; missing and negative values count as 0. ``None``
        uses firm counts as employment.
    districts : DataFrame, optional
        :func:`load_districts`; loaded when needed.
    small_count : int, default 5
        Fewer firms of the sector in a unit than this make its LQ "small count".
    include_country : bool, default True
        Append the country's rows (key ``MN``).

    Returns
    -------
    DataFrame
        One row per unit and group (all combinations, zeros included), see
        the module documentation for the columns. The key column is
        ``aimag_code``, ``region`` or ``district_code`` by level, followed by
        ``name_mn``, ``name_en`` and ``region``.

    Examples
    --------
    >>> from geo.admin import load_aimags
    >>> firms = pd.DataFrame(
    ...     {
    ...         "aimag_code": ["MN-1", "MN-1", "MN-053"],
    ...         "sector": ["ict", "trade", "mining"],
    ...         "employees": [10, 30, 60],
    ...     }
    ... )
    >>> table = sector_statistics(firms, aimags=load_aimags(), include_country=False)
    >>> row = table[(table.aimag_code == "MN-053") & (table.sector == "mining")].iloc[0]
    >>> print(round(row.lq_employment, 3))  # (60 / 60) / (60 / 100)
    1.667
    """
    if by not in firms.columns:
        raise ValueError(f"no column {by!r} to group by")
    if weight is not None and weight not in firms.columns:
        raise ValueError(f"no weight column {weight!r}")
    units = _units(level, aimags, districts)
    unit = _unit_of_firm(firms, level, aimags, units)
    group = firms[by].astype("string").fillna("(none)")
    if weight is None:
        emp = pd.Series(1.0, index=firms.index)
    else:
        emp = pd.to_numeric(firms[weight], errors="coerce").fillna(0.0).clip(lower=0.0)

    data = pd.DataFrame(
        {"unit": unit.to_numpy(), "group": group.to_numpy(), "emp": emp.to_numpy(dtype=float)}
    )
    cells = (
        data.dropna(subset=["unit"])
        .groupby(["unit", "group"])
        .agg(firms=("emp", "size"), employees=("emp", "sum"))
    )
    groups = sorted(group.unique())
    grid = pd.MultiIndex.from_product([units["key"], groups], names=["unit", "group"])
    table = cells.reindex(grid, fill_value=0).reset_index()
    table["firms"] = table["firms"].astype(int)

    sector_emp = data.groupby("group")["emp"].sum()
    sector_firms = data.groupby("group").size()
    total_emp, total_firms = float(data["emp"].sum()), float(len(data))
    if include_country:
        country = pd.DataFrame(
            {
                "unit": COUNTRY[0],
                "group": groups,
                "firms": sector_firms.reindex(groups, fill_value=0).to_numpy(),
                "employees": sector_emp.reindex(groups, fill_value=0).to_numpy(),
            }
        )
        table = pd.concat([table, country], ignore_index=True)

    unit_emp = table.groupby("unit")["employees"].transform("sum")
    unit_firms = table.groupby("unit")["firms"].transform("sum")
    s_emp = table["group"].map(sector_emp).astype(float)
    s_firms = table["group"].map(sector_firms).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["unit_firms"] = unit_firms.astype(int)
        table["unit_employees"] = unit_emp
        table["share_of_unit_employment"] = table["employees"] / unit_emp.replace(0, np.nan)
        table["share_of_unit_firms"] = table["firms"] / unit_firms.replace(0, np.nan)
        table["share_of_sector_employment"] = table["employees"] / s_emp.replace(0, np.nan)
        table["share_of_sector_firms"] = table["firms"] / s_firms.replace(0, np.nan)
        table["lq_employment"] = table["share_of_unit_employment"] / (
            s_emp / total_emp if total_emp else np.nan
        )
        table["lq_firms"] = table["share_of_unit_firms"] / (
            s_firms / total_firms if total_firms else np.nan
        )
    table["lq_note"] = np.where(
        table["firms"] < small_count, f"small count (fewer than {small_count} firms)", ""
    )
    info = units.set_index("key")
    if include_country:
        info.loc[COUNTRY[0]] = [
            COUNTRY[1],
            COUNTRY[2],
            "",
            float(aimags["population"].sum()),
            aimags["population_year"].max(),
        ]
    for col in ("name_mn", "name_en", "region", "population", "population_year"):
        if not (col == "region" and level == "region"):
            table[col] = table["unit"].map(info[col])
    pop = table["population"].astype(float).replace(0, np.nan)
    table["firms_per_10k"] = table["firms"] / pop * 1e4
    table["employees_per_10k"] = table["employees"] / pop * 1e4
    table["hhi"] = table.groupby("unit")["share_of_unit_employment"].transform(
        lambda s: float((s.fillna(0) ** 2).sum())
    )
    table["effective_sectors"] = 1.0 / table["hhi"].replace(0, np.nan)

    _ratings(table, is_unit=table["unit"] != COUNTRY[0])
    key = KEY_COLUMN[level]
    table = table.rename(columns={"unit": key, "group": by})
    first = (
        [key, "name_mn", "name_en", "region", by]
        if key != "region"
        else [key, "name_mn", "name_en", by]
    )
    rest = [c for c in table.columns if c not in first]
    return table[first + rest].reset_index(drop=True)


def _ratings(table: pd.DataFrame, is_unit: pd.Series) -> None:
    """Add the CMP strong-cluster test and the ECO stars (in place)."""
    for col in ("cmp_lq_p75", "cmp_employees_p25", "cmp_firms_p25"):
        table[col] = np.nan
    table["cmp_strong"] = False
    for col in ("eco_size", "eco_specialisation", "eco_focus"):
        table[col] = False
    units = table[is_unit]
    n_units = units["unit"].nunique()
    top = max(1, int(np.ceil(0.10 * n_units)))
    for _group, rows in units.groupby("group"):
        idx = rows.index
        lq = rows["lq_employment"].fillna(0).to_numpy()
        p75 = float(np.percentile(lq, 75))
        e25 = float(np.percentile(rows["employees"], 25))
        f25 = float(np.percentile(rows["firms"], 25))
        table.loc[idx, "cmp_lq_p75"] = p75
        table.loc[idx, "cmp_employees_p25"] = e25
        table.loc[idx, "cmp_firms_p25"] = f25
        table.loc[idx, "cmp_strong"] = (
            (lq >= p75)
            & (lq >= 1)
            & (rows["employees"].to_numpy() > e25)
            & (rows["firms"].to_numpy() > f25)
        )
        size_rank = rows["employees"].rank(ascending=False, method="min")
        focus = rows["share_of_unit_employment"].fillna(0)
        focus_rank = focus.rank(ascending=False, method="min")
        table.loc[idx, "eco_size"] = (size_rank <= top) & (rows["employees"] > 0)
        table.loc[idx, "eco_specialisation"] = rows["lq_employment"].fillna(0) >= 2
        table.loc[idx, "eco_focus"] = (focus_rank <= top) & (focus > 0)
    table["eco_stars"] = table[["eco_size", "eco_specialisation", "eco_focus"]].sum(axis=1)


@dataclass(frozen=True)
class MoranResult:
    """Global and local Moran's I of one indicator across the aimags.

    Attributes
    ----------
    I : float
        Global Moran's I.
    expected : float
        Its expectation under no autocorrelation, -1 / (n - 1).
    p_value : float
        Pseudo p-value from the permutations (one-sided, as esda reports it).
    z_score : float
        Of I against the permutation distribution.
    permutations : int
    local : DataFrame
        Per aimag: ``aimag_code``, ``value``, ``local_i``, ``quadrant``
        (``HH`` high among high, ``LL``, ``HL`` high among low, ``LH``),
        ``p_value`` and ``significant`` (p below ``alpha``).
    reading : str
        A sentence for the reader.
    """

    I: float
    expected: float
    p_value: float
    z_score: float
    permutations: int
    local: pd.DataFrame
    reading: str


def morans_i(
    values: pd.Series,
    aimags: gpd.GeoDataFrame,
    *,
    permutations: int = 999,
    alpha: float = 0.05,
    seed: int = 0,
) -> MoranResult:
    """Spatial autocorrelation of an aimag indicator (for example a sector's LQ).

    Parameters
    ----------
    values : Series
        Indexed by ISO 3166-2:MN code; aimags without a value count as 0.
    aimags : GeoDataFrame
        :func:`geo.admin.load_aimags`; queen contiguity of its polygons
        (row-standardised) gives the weights.
    permutations : int, default 999
    alpha : float, default 0.05
        Significance level for the local clusters and the reading.
    seed : int, default 0
        Seed of the permutations, so a page shows the same p-value each time.

    Returns
    -------
    MoranResult
    """
    import warnings

    from esda.moran import Moran, Moran_Local
    from libpysal.weights import Queen

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = Queen.from_dataframe(aimags, use_index=False)
    w.transform = "r"
    y = aimags["iso_3166_2"].map(values).astype(float).fillna(0.0).to_numpy()
    if np.allclose(y, y[0]):
        local = pd.DataFrame(
            {
                "aimag_code": aimags["iso_3166_2"].to_numpy(),
                "value": y,
                "local_i": 0.0,
                "quadrant": "",
                "p_value": 1.0,
                "significant": False,
            }
        )
        return MoranResult(
            float("nan"),
            -1 / (len(y) - 1),
            float("nan"),
            float("nan"),
            permutations,
            local,
            "The indicator is the same in every aimag.",
        )
    # the statistic from esda; its permutation test here, with a generator of our own
    # (esda would draw from NumPy's process-wide generator, shared by every session)
    glob = Moran(y, w, permutations=0)
    p_sim, z_sim = _global_pseudo_p(y, w, float(glob.I), permutations, seed)
    loc = Moran_Local(y, w, permutations=0)  # the statistic; its p-values below
    p_local = _local_pseudo_p(y, w, loc.Is, permutations, seed)
    quadrant = pd.Series(loc.q).map({1: "HH", 2: "LH", 3: "LL", 4: "HL"}).to_numpy()
    local = pd.DataFrame(
        {
            "aimag_code": aimags["iso_3166_2"].to_numpy(),
            "value": y,
            "local_i": loc.Is,
            "quadrant": quadrant,
            "p_value": p_local,
            "significant": p_local < alpha,
        }
    )
    if p_sim < alpha and glob.I > glob.EI:
        reading = (
            f"Clustered: aimags with high values tend to border aimags with high values "
            f"(Moran's I = {glob.I:.2f}, p = {p_sim:.3f})."
        )
    elif p_sim < alpha:
        reading = (
            f"Dispersed: high values tend to border low ones "
            f"(Moran's I = {glob.I:.2f}, p = {p_sim:.3f})."
        )
    else:
        reading = (
            f"No clear spatial pattern: neighbouring aimags are not more alike than "
            f"chance would make them (Moran's I = {glob.I:.2f}, p = {p_sim:.3f})."
        )
    return MoranResult(float(glob.I), float(glob.EI), p_sim, z_sim, permutations, local, reading)


def _global_pseudo_p(
    y: np.ndarray, w: Any, observed: float, permutations: int, seed: int
) -> tuple[float, float]:
    """Permutation pseudo p-value and z-score of global Moran's I.

    The values are shuffled ``permutations`` times with a local
    ``np.random.default_rng(seed)`` (never NumPy's process-wide state);
    p = (extreme + 1) / (permutations + 1), extreme counting the simulated
    values beyond the observed one on its side (esda's ``p_sim``).

    Returns
    -------
    p_sim : float
    z_sim : float
        (observed - mean of the simulated) / their standard deviation.
    """
    if permutations < 1:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    z = y - y.mean()
    weights = w.sparse
    s0 = float(weights.sum())
    shuffled = rng.permuted(np.tile(z, (permutations, 1)), axis=1)  # one row a draw
    lagged = (weights @ shuffled.T).T
    sims = len(z) / s0 * (shuffled * lagged).sum(axis=1) / (z @ z)
    larger = int((sims >= observed).sum())
    larger = min(larger, permutations - larger)
    spread = sims.std()
    return (
        (larger + 1) / (permutations + 1),
        float((observed - sims.mean()) / spread) if spread > 0 else float("nan"),
    )


def _local_pseudo_p(
    y: np.ndarray, w: Any, observed: np.ndarray, permutations: int, seed: int
) -> np.ndarray:
    """Conditional-randomisation pseudo p-values of local Moran's I (Anselin, 1995).

    For each unit its own value stays, the others are shuffled and its
    neighbours drawn from them; p = (extreme + 1) / (permutations + 1), where
    extreme counts simulated values at least as far out as the observed one
    on its side (esda's "directed" convention). Written here in NumPy:
    esda's compiled version costs about 28 s of compilation per process.
    """
    rng = np.random.default_rng(seed)
    z = (y - y.mean()) / y.std()
    n = len(z)
    scale = (n - 1) / (z * z).sum()  # esda's Is = (n - 1) z_i lag_i / sum(z^2)
    p = np.ones(n)
    for i, key in enumerate(w.id_order):
        weights = w.weights[key]
        k = len(weights)
        if k == 0:
            continue
        others = np.delete(z, i)
        draws = np.argsort(rng.random((permutations, n - 1)), axis=1)[:, :k]
        lag = (others[draws] * np.asarray(weights)).sum(axis=1)
        sims = scale * z[i] * lag
        above = (sims >= observed[i]).sum()
        extreme = min(above, permutations - above)
        p[i] = (extreme + 1) / (permutations + 1)
    return p


def unit_profile(
    table: pd.DataFrame, key: str, *, level: str = "aimag", by: str = "sector", top: int = 5
) -> dict[str, pd.DataFrame]:
    """One unit's leading sectors: by location quotient and by employment.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`sector_statistics` at ``level``.
    key : str
        The unit's code (``MN-053``, ``Khangai``, ``1122``).

    Returns
    -------
    dict
        ``by_lq`` (sectors with at least ``small_count`` firms, highest LQ
        first) and ``by_employment``, each the ``top`` rows.
    """
    rows = table[table[KEY_COLUMN[level]] == key]
    solid = rows[(rows["lq_note"] == "") & (rows["firms"] > 0)]
    cols = [
        by,
        "firms",
        "employees",
        "lq_employment",
        "share_of_unit_employment",
        "cmp_strong",
        "eco_stars",
    ]
    return {
        "by_lq": solid.sort_values("lq_employment", ascending=False)[cols].head(top),
        "by_employment": rows[rows["employees"] > 0]
        .sort_values("employees", ascending=False)[cols]
        .head(top),
    }
