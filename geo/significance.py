"""Is a cluster more than a city? Monte Carlo p-values for DBSCAN clusters.

DBSCAN finds where a sector's firms are dense; where all firms are dense
(Ulaanbaatar holds most of them) any large enough sector is dense too. The
null model here keeps the geography of all firms and redraws the sector:

Null model (random labelling)
    The sector labels (and, for weighted clustering, each firm's weight with
    its label) are permuted at random over the places of all located firms;
    with ``null="aimag"`` only within each aimag (a conditional null: it asks
    whether a cluster is more than its aimag's share of the sector).
    Every sector keeps its number of firms.

Statistic
    A cluster's *footprint* is the set of cells, of one grid over all firms,
    that hold its firms (cells a little shorter than ``eps_km / sqrt(2)``:
    the grid of :mod:`geo.cluster`). In the footprint lie ``n`` firms, ``c``
    of them of the sector; in all, ``N`` and ``C``. The statistic is the
    Bernoulli log likelihood ratio of Kulldorff's spatial scan statistic
    (Kulldorff, 1997; SaTScan's Bernoulli model: the sector's firms are the
    cases, the other firms the controls)::

        LLR = c log(c/n) + (n-c) log(1-c/n) + (C-c) log((C-c)/(N-n))
              + (N-n-C+c) log(1-(C-c)/(N-n)) - C log(C/N) - (N-C) log(1-C/N)

    when the footprint's share ``c/n`` is above the share outside it, else 0.
    A cluster that only follows where firms are has a share near the
    sector's national share and an LLR near 0.

Why the maximum
    DBSCAN tries every place; some window somewhere always looks dense. In
    each of ``R`` replicates DBSCAN runs again with the same parameters on
    the relabelled firms, and the *largest* LLR of each sector's clusters is
    kept. A cluster's ``p_value`` is ``(1 + replicates whose largest LLR is
    at least the cluster's) / (R + 1)``: the chance, under the null, that
    *some* cluster of the sector anywhere looks at least this strong. It is
    already adjusted for the windows tried within its sector.

Across sectors
    Each sector is one more test: ``significant`` applies Holm's step-down
    (family-wise error) or Benjamini and Hochberg's step-up (false discovery
    rate) over the sectors' smallest p-values, and a cluster is significant
    when its ``p_value`` is at most its sector's level.

Descriptive, not adjusted
    ``local_lq`` (the footprint's share of the sector over its national
    share) and ``hypergeom_p``, the exact hypergeometric tail
    ``P(X >= c)`` for ``n`` firms drawn from ``N`` with ``C`` of the sector:
    the p-value of that one footprint as if it had been chosen in advance,
    which it was not.

Reproducible: every result records its seed; draws come from a
:class:`numpy.random.Generator`, never from the process-wide state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo import _dbscan_kernels, _scan_kernels
from geo.cluster import (
    _CELL_FACTOR,
    EARTH_RADIUS_KM,
    _check_parameters,
    _check_points,
    _unit_vectors,
)
from geo.projection import to_metric
from geo.scan_statistic import (
    CORRECTIONS,
    adjust_across_sectors,
    bernoulli_llr,
    draw_seed,
    hypergeom_tail,
    replicates_for,
)

__all__ = [
    "NULL_MODELS",
    "CORRECTIONS",
    "ClusterSignificance",
    "adjust_across_sectors",
    "bernoulli_llr",
    "cluster_significance",
    "draw_seed",
    "firm_columns",
    "hypergeom_tail",
    "replicates_for",
]

#: Null models: labels redrawn among all located firms, or within each aimag.
NULL_MODELS = ("all", "aimag")
# -- the places: what does not change between replicates --------------------------------

_EMPTY = pd.DataFrame(
    {
        "cluster": pd.Series([], dtype=np.int64),
        "code": pd.Series([], dtype=np.int64),
        "firms": pd.Series([], dtype=np.int64),
        "footprint_firms": pd.Series([], dtype=np.int64),
        "footprint_sector_firms": pd.Series([], dtype=np.int64),
    }
)


@dataclass(frozen=True)
class _Places:
    """Located firms sorted by the cell of one grid over all of them."""

    order: np.ndarray  # base position -> row of the located firms
    xyz: np.ndarray  # unit vectors, base order
    cell: np.ndarray  # compact cell of each base position
    nbr: np.ndarray  # (cells, 25) neighbouring cells, -1 for none
    pop: np.ndarray  # firms per cell
    chord2: float

    @classmethod
    def build(cls, lon: np.ndarray, lat: np.ndarray, eps_km: float) -> _Places:
        x, y = to_metric(lon, lat)
        side = eps_km * 1000.0 * _CELL_FACTOR
        ix = np.floor((x - x.min()) / side).astype(np.int64) + 2
        iy = np.floor((y - y.min()) / side).astype(np.int64) + 2
        ny = int(iy.max()) + 3
        key = ix * ny + iy
        order = np.argsort(key, kind="stable")
        cell_keys, cell, pop = np.unique(key[order], return_inverse=True, return_counts=True)
        nbr = _dbscan_kernels.stencil(cell_keys.astype(np.int64), ny)
        chord2 = float((2.0 * np.sin(eps_km / EARTH_RADIUS_KM / 2.0)) ** 2)
        return cls(
            order,
            _unit_vectors(lon[order], lat[order]),
            cell.astype(np.int64),
            nbr,
            pop.astype(np.int64),
            chord2,
        )

    def footprints(self, labels: np.ndarray, codes: np.ndarray, n_groups: int) -> pd.DataFrame:
        """Footprint firms and cases of each cluster (labels and codes in base order)."""
        m = self.pop.size
        inside = labels >= 0
        if not inside.any():
            return _EMPTY.copy()
        per_cell = np.bincount(codes * m + self.cell, minlength=n_groups * m)
        pairs = np.unique(labels[inside] * m + self.cell[inside])
        lab, cell = pairs // m, pairs % m
        ids, index = np.unique(lab, return_inverse=True)
        code_of = pd.Series(codes[inside]).groupby(labels[inside]).first()
        code = code_of.loc[ids].to_numpy()
        return pd.DataFrame(
            {
                "cluster": ids,
                "code": code,
                "firms": np.bincount(labels[inside])[ids],
                "footprint_firms": np.bincount(index, weights=self.pop[cell]).astype(np.int64),
                "footprint_sector_firms": np.bincount(
                    index, weights=per_cell[code[index] * m + cell]
                ).astype(np.int64),
            }
        )


# -- the result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterSignificance:
    """What :func:`cluster_significance` returns.

    Attributes
    ----------
    clusters : DataFrame
        One row per cluster: ``cluster``, the group column, ``firms``,
        ``footprint_firms`` (``n``), ``footprint_sector_firms`` (``c``),
        ``llr``, ``local_lq``, ``hypergeom_p``, ``p_value`` (adjusted for the
        windows tried within the sector), ``significant``.
    sectors : DataFrame
        One row per group: the group, ``firms``, ``clusters``, ``tested``,
        ``p_value`` (its smallest), ``p_adjusted`` (across sectors), ``level``
        and ``significant_clusters``.
    replicates, seed : int
        ``R`` and the seed of the :class:`numpy.random.Generator` that drew them.
    null, correction : str
    alpha, eps_km, min_samples : float
    weight : str or None
    maxima : ndarray, shape (R, groups)
        Each replicate's largest LLR per group (0: no cluster), in the order
        of ``sectors``.
    """

    clusters: pd.DataFrame
    sectors: pd.DataFrame
    replicates: int
    seed: int
    null: str
    correction: str
    alpha: float
    eps_km: float
    min_samples: float
    weight: str | None
    maxima: np.ndarray = field(repr=False)

    def metadata(self) -> dict[str, object]:
        """How the p-values were made: for the metadata of an export."""
        return {
            "method": "Monte Carlo scan: DBSCAN on random relabellings, Bernoulli "
            "likelihood ratio of each cluster's footprint, maximum per sector",
            "replicates": self.replicates,
            "seed": self.seed,
            "null": self.null,
            "correction": self.correction,
            "alpha": self.alpha,
            "eps_km": self.eps_km,
            "min_samples": self.min_samples,
            "weight": self.weight,
        }

    def annotate(self, clusters: pd.DataFrame) -> pd.DataFrame:
        """``clusters`` (a cluster table keyed by ``cluster``) with this result's columns."""
        extra = self.clusters.drop(
            columns=[c for c in self.clusters.columns if c in clusters.columns and c != "cluster"]
        )
        out = clusters.merge(extra, on="cluster", how="left")
        out["significant"] = out["significant"].fillna(False).astype(bool)
        return out


# -- the test -----------------------------------------------------------------------------


def _permutations(
    rng: np.random.Generator, n: int, count: int, strata: list[np.ndarray] | None
) -> np.ndarray:
    perms = np.empty((count, n), dtype=np.int64)
    for b in range(count):
        if strata is None:
            perms[b] = rng.permutation(n)
        else:
            for idx in strata:
                perms[b, idx] = idx[rng.permutation(idx.size)]
    return perms


def cluster_significance(
    firms: pd.DataFrame,
    eps_km: float,
    min_samples: float,
    *,
    by: str | None = "sector",
    weight: str | None = None,
    replicates: int = 999,
    seed: int | None = None,
    null: str = "all",
    strata_column: str = "aimag_code",
    alpha: float = 0.05,
    correction: str = "holm",
    progress: Callable[[float], None] | None = None,
    lat_column: str = "lat",
    lon_column: str = "lon",
) -> ClusterSignificance:
    """Monte Carlo p-values of the DBSCAN clusters of every sector.

    Parameters
    ----------
    firms : DataFrame
        The output of :func:`geo.cluster.cluster_firms` with
        ``method="dbscan"`` and the same ``eps_km``, ``min_samples``, ``by``
        and ``weight``: its ``cluster`` labels are the observed clusters, and
        the firms whose ``cluster_status`` is not ``excluded`` are the
        located firms whose labels are redrawn.
    eps_km, min_samples : float
        DBSCAN's radius (km) and minimum (firms, or weight).
    by : str or None, default "sector"
        The group column; ``None``: all firms are one group (every firm a
        case; nothing to test).
    weight : str, optional
        Weight column of the clustering; in a replicate each firm's weight
        moves with its label.
    replicates : int, default 999
        ``R``, the number of relabellings (1-100,000). The smallest possible
        p-value is ``1 / (R + 1)``; Holm over ``m`` sectors needs
        ``R + 1 >= m / alpha`` for anything to be significant.
    seed : int, optional
        Seed of the generator; drawn (and recorded) when not given.
    null : {"all", "aimag"}
        Relabel among all located firms, or only within each value of
        ``strata_column`` (missing values form one stratum).
    strata_column : str, default "aimag_code"
    alpha : float, default 0.05
    correction : {"holm", "bh"}
        Across sectors (see :func:`adjust_across_sectors`).
    progress : callable, optional
        Called with the fraction of replicates done.
    lat_column, lon_column : str

    Returns
    -------
    ClusterSignificance

    Raises
    ------
    ValueError
        On missing columns or parameters out of range.
    """
    if null not in NULL_MODELS:
        raise ValueError(f"null must be one of {NULL_MODELS}, got {null!r}")
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {CORRECTIONS}, got {correction!r}")
    if not (1 <= int(replicates) <= 100_000) or int(replicates) != replicates:
        raise ValueError(f"replicates must be a whole number from 1 to 100,000, got {replicates!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    _check_parameters(float(eps_km), float(min_samples))
    needed = ["cluster", "cluster_status", lat_column, lon_column]
    needed += [c for c in (by, weight) if c is not None]
    if null == "aimag":
        needed.append(strata_column)
    missing = [c for c in needed if c not in firms.columns]
    if missing:
        raise ValueError(
            f"no column {missing[0]!r} (run geo.cluster.cluster_firms first; "
            f"the aimag null needs {strata_column!r})"
        )
    replicates = int(replicates)
    seed = draw_seed() if seed is None else int(seed)
    rng = np.random.default_rng(seed)
    group_name = by or "group"

    status = firms["cluster_status"].astype("string").fillna("excluded")
    located = ~status.str.startswith("excluded").to_numpy(dtype=bool)
    rows = np.flatnonzero(located)
    lat = pd.to_numeric(firms[lat_column], errors="coerce").to_numpy(dtype=float)[rows]
    lon = pd.to_numeric(firms[lon_column], errors="coerce").to_numpy(dtype=float)[rows]
    groups = (
        firms[by].astype("string").fillna("(none)").to_numpy(dtype=object)[rows]
        if by is not None
        else np.full(rows.size, "all", dtype=object)
    )
    codes, uniques = pd.factorize(pd.Series(groups, dtype=object))
    n_groups = len(uniques)
    if weight is not None:
        w = np.array(pd.to_numeric(firms[weight], errors="coerce"), dtype=float)[rows]
        w = np.where(np.isfinite(w) & (w >= 0), w, 0.0)
    else:
        w = np.ones(rows.size)
    labels = firms["cluster"].to_numpy(dtype=np.int64)[rows]

    totals = np.bincount(codes, minlength=n_groups).astype(float)
    weight_totals = np.bincount(codes, weights=w, minlength=n_groups)
    n_total = rows.size
    maxima = np.zeros((replicates, n_groups))
    if n_total:
        lon, lat = _check_points(lon, lat)
        places = _Places.build(lon, lat, float(eps_km))
        codes_b = codes[places.order].astype(np.int64)
        w_b = w[places.order]
        observed = places.footprints(labels[places.order], codes_b, n_groups)
        strata = None
        if null == "aimag":
            s = firms[strata_column].astype("string").fillna("").to_numpy(dtype=object)[rows]
            s_codes = pd.factorize(pd.Series(s[places.order], dtype=object))[0]
            strata = [
                idx
                for idx in np.split(
                    np.argsort(s_codes, kind="stable"), np.cumsum(np.bincount(s_codes))[:-1]
                )
            ]
        batch = int(max(8, min(128, 32_000_000 // max(n_total, 1) // 8)))
        done = 0
        while done < replicates:
            count = min(batch, replicates - done)
            perms = _permutations(rng, n_total, count, strata)
            maxima[done : done + count] = _scan_kernels.replicate_maxima(
                places.xyz,
                places.cell,
                places.nbr,
                places.pop,
                codes_b,
                w_b,
                perms,
                n_groups,
                totals,
                places.chord2,
                float(min_samples),
            )
            done += count
            if progress is not None:
                progress(done / replicates)
    else:
        observed = _EMPTY.copy()

    # the clusters' statistics and p-values
    table = observed.copy()
    code = table["code"].to_numpy(dtype=np.int64)
    C = totals[code] if len(table) else np.empty(0)
    c = table["footprint_sector_firms"].to_numpy(dtype=float)
    n = table["footprint_firms"].to_numpy(dtype=float)
    table["llr"] = bernoulli_llr(c, n, C, float(n_total)) if len(table) else np.empty(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["local_lq"] = (c / n) / (C / n_total) if len(table) else np.empty(0)
    table["hypergeom_p"] = (
        hypergeom_tail(c.astype(np.int64), n.astype(np.int64), C.astype(np.int64), n_total)
        if len(table)
        else np.empty(0)
    )
    tolerance = 1e-9 * np.maximum(1.0, table["llr"].to_numpy())
    if len(table):
        at_least = (maxima[:, code] >= (table["llr"].to_numpy() - tolerance)[None, :]).sum(0)
    else:
        at_least = np.empty(0)
    table["p_value"] = (1.0 + at_least) / (replicates + 1.0)

    # sectors: the smallest p-value of each, adjusted across the sectors tested
    tested = weight_totals >= float(min_samples)
    best = np.ones(n_groups)
    n_clusters = np.zeros(n_groups, dtype=np.int64)
    if len(table):
        per = table.groupby("code")["p_value"].min()
        best[per.index.to_numpy()] = per.to_numpy()
        n_clusters = np.bincount(code, minlength=n_groups)
    adjusted = np.full(n_groups, np.nan)
    level = np.zeros(n_groups)
    adj, lev = adjust_across_sectors(best[tested], alpha, correction)
    adjusted[tested], level[tested] = adj, lev
    table["significant"] = (
        table["p_value"].to_numpy() <= level[code] if len(table) else np.empty(0, dtype=bool)
    )
    sig_count = (
        np.bincount(code[table["significant"].to_numpy(dtype=bool)], minlength=n_groups)
        if len(table)
        else np.zeros(n_groups, np.int64)
    )
    sectors = pd.DataFrame(
        {
            group_name: np.asarray(uniques, dtype=object),
            "firms": totals.astype(np.int64),
            "clusters": n_clusters,
            "tested": tested,
            "p_value": np.where(tested, best, np.nan),
            "p_adjusted": adjusted,
            "level": level,
            "significant_clusters": sig_count,
        }
    )
    table.insert(
        1,
        group_name,
        np.asarray(uniques, dtype=object)[code] if len(table) else pd.Series([], dtype=object),
    )
    table = table.drop(columns="code")
    table["cluster"] = table["cluster"].astype(np.int64)
    for col in ("firms", "footprint_firms", "footprint_sector_firms"):
        table[col] = table[col].astype(np.int64)
    table["significant"] = table["significant"].astype(bool)
    return ClusterSignificance(
        table.reset_index(drop=True),
        sectors,
        replicates,
        seed,
        null,
        correction,
        float(alpha),
        float(eps_km),
        float(min_samples),
        weight,
        maxima,
    )


def firm_columns(firms: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """``firms`` (labelled by ``cluster``) with its cluster's ``cluster_p_value`` and
    ``cluster_significant`` from a tested cluster table (``cluster``, ``p_value``,
    ``significant``); firms in no cluster get no p-value and ``False``."""
    facts = clusters.set_index("cluster")
    out = firms.copy()
    out["cluster_p_value"] = out["cluster"].map(facts["p_value"]).astype(float)
    out["cluster_significant"] = out["cluster"].map(facts["significant"]).fillna(False).astype(bool)
    return out
