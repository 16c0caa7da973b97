"""Related sectors: how much more often firms of one sector lie near another's.

Co-location quotient
    For an ordered pair of sectors ``A -> B``, the co-location quotient of
    Leslie and Kronenfeld (2011) asks what share of the neighbours of A's
    firms are B's firms, against B's share of all other firms. Here a firm's
    neighbours are the other firms within ``radius_km`` (measured in the
    metric projection of :mod:`geo.projection`)::

        CLQ(A -> B) = mean over A's firms i of (B's firms among i's neighbours / i's neighbours)
                      / (N_B' / (N - 1))

    with ``N`` located firms, ``N_B`` of them of sector B and ``N_B' = N_B``
    (``N_B - 1`` when ``A = B``: a firm is not its own neighbour). A firm of A
    with no neighbour within the radius says nothing about A's neighbours
    and is left out of the mean (``firms_a`` counts all of A's firms).
    ``CLQ = 1``: B lies around A as it lies around any firm; ``CLQ = 2``:
    twice as often. The quotient is not symmetric: a small sector beside a
    large one can have most of its neighbours there while the large sector
    barely notices it.

Monte Carlo test (random relabelling)
    The places of all firms stay where they are (Ulaanbaatar stays dense);
    the sector labels are permuted at random over them, every sector keeping
    its number of firms. Each of ``R`` replicates recomputes every pair's
    quotient; the one-sided ``p_value`` of a pair is
    ``(1 + replicates with a quotient at least the observed) / (R + 1)``.
    Under the null the mean fraction of B among any firm's neighbours is
    exactly ``N_B' / (N - 1)``, so the quotient is centred on 1.

Many pairs
    ``K`` sectors make ``K (K - 1)`` ordered pairs; ``p_adjusted`` applies
    Holm's step-down over them (the diagonal, a sector with itself, is its
    own clustering and is not adjusted). ``related`` marks a pair with a
    quotient above 1 and ``p_value`` below ``alpha``: a screen for pairs to
    look at, not a family-wise claim (with 99 replicates the smallest
    p-value, 0.01, cannot survive Holm over hundreds of pairs).

The neighbour pairs are found once (a k-d tree over projected metres) and
reused by every replicate: a replicate is two weighted counts over them.
Draws come from a local :class:`numpy.random.Generator`; the seed is
recorded in the result's ``attrs``.

Examples
--------
Two meat plants each beside a tannery, a school far away:

>>> import pandas as pd
>>> firms = pd.DataFrame(
...     {
...         "sector": ["meat", "leather", "meat", "leather", "school"],
...         "lat": [47.9, 47.9, 47.95, 47.95, 48.5],
...         "lon": [106.9, 106.9005, 106.9, 106.9005, 107.5],
...     }
... )
>>> table = colocation_quotients(firms, radius_km=0.5, replicates=19, seed=1)
>>> row = table[(table.sector_a == "meat") & (table.sector_b == "leather")].iloc[0]
>>> float(row.colocation)  # every neighbour of meat is leather: 1 / (2 / 4)
2.0
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from geo.projection import to_metric
from geo.scan_statistic import adjust_across_sectors, draw_seed
from geo.settings import COLOCATION_MAX_PAIRS, COLOCATION_RADIUS_KM, COLOCATION_REPLICATES

__all__ = ["COLUMNS", "colocation_quotients", "neighbour_pairs", "related_pairs"]

#: The columns of :func:`colocation_quotients`, in order (the first four are the CLI's).
COLUMNS = (
    "sector_a",
    "sector_b",
    "colocation",
    "p_value",
    "p_adjusted",
    "firms_a",
    "firms_b",
    "related",
)


def neighbour_pairs(
    x: np.ndarray, y: np.ndarray, radius_m: float, *, max_pairs: int = COLOCATION_MAX_PAIRS
) -> tuple[np.ndarray, np.ndarray]:
    """Directed pairs ``(i, j)``, ``i != j``, of points within ``radius_m`` of each other.

    Parameters
    ----------
    x, y : ndarray
        Projected coordinates, metres.
    radius_m : float
        Neighbourhood radius, metres (a pair at exactly the radius counts).
    max_pairs : int
        Most directed pairs accepted; more raise :class:`ValueError`.

    Returns
    -------
    i, j : ndarray of int64
        Both directions of every pair, sorted by ``i``.

    Examples
    --------
    >>> import numpy as np
    >>> i, j = neighbour_pairs(np.array([0.0, 100.0, 5000.0]), np.zeros(3), 150.0)
    >>> i.tolist(), j.tolist()
    ([0, 1], [1, 0])
    """
    points = np.column_stack([np.asarray(x, float), np.asarray(y, float)])
    if len(points) < 2:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    tree = cKDTree(points)
    count = int(tree.count_neighbors(tree, radius_m)) - len(points)  # directed, no self
    if count > max_pairs:
        raise ValueError(
            f"{count:,} neighbour pairs within {radius_m / 1000:g} km exceed the "
            f"limit of {max_pairs:,}; choose a smaller radius"
        )
    pairs = tree.query_pairs(radius_m, output_type="ndarray").astype(np.int64)
    i = np.concatenate([pairs[:, 0], pairs[:, 1]])
    j = np.concatenate([pairs[:, 1], pairs[:, 0]])
    order = np.argsort(i, kind="stable")
    return i[order], j[order]


def _quotient_sums(
    codes: np.ndarray,
    i: np.ndarray,
    j: np.ndarray,
    weight: np.ndarray,
    has_neighbour: np.ndarray,
    k: int,
) -> np.ndarray:
    """Mean neighbour fractions ``(k, k)``: row A, column B (NaN where A has no firm with a
    neighbour)."""
    sums = np.bincount(codes[i] * k + codes[j], weights=weight, minlength=k * k).reshape(k, k)
    with_neighbours = np.bincount(codes[has_neighbour], minlength=k).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / with_neighbours[:, None]


def colocation_quotients(
    firms: pd.DataFrame,
    *,
    by: str = "sector",
    radius_km: float = COLOCATION_RADIUS_KM,
    replicates: int = COLOCATION_REPLICATES,
    seed: int | None = None,
    alpha: float = 0.05,
    lat_column: str = "lat",
    lon_column: str = "lon",
    progress: Callable[[float], None] | None = None,
) -> pd.DataFrame:
    """Co-location quotients of every ordered pair of sectors with Monte Carlo p-values.

    Parameters
    ----------
    firms : DataFrame
        One row per firm with ``by``, ``lat_column`` and ``lon_column``.
    by : str, default "sector"
        The grouping column.
    radius_km : float
        Neighbourhood radius, km (> 0).
    replicates : int
        Random relabellings (0: quotients only, ``p_value`` NaN).
    seed : int, optional
        Seed of the relabellings; drawn (and recorded) when not given.
    alpha : float, default 0.05
        Level of ``related``.
    lat_column, lon_column : str
        WGS84 coordinates, degrees.
    progress : callable, optional
        Called with the fraction of replicates done.

    Returns
    -------
    DataFrame
        One row per ordered pair ``(sector_a, sector_b)`` of the groups with a
        located firm, columns :data:`COLUMNS`. ``attrs`` records ``seed``,
        ``replicates``, ``radius_km``, ``alpha``, ``firms`` (used) and
        ``left_out`` (rows without coordinates or group, by reason).

    Raises
    ------
    ValueError
        A missing column, a radius not above 0, negative replicates, or more
        neighbour pairs than :data:`geo.settings.COLOCATION_MAX_PAIRS`.
    """
    for column in (by, lat_column, lon_column):
        if column not in firms.columns:
            raise ValueError(
                f"no column {column!r} (columns: {', '.join(map(str, firms.columns))})"
            )
    if not np.isfinite(radius_km) or radius_km <= 0:
        raise ValueError(f"the radius must be above 0 km, got {radius_km:g}")
    if replicates < 0:
        raise ValueError(f"replicates must be 0 or more, got {replicates}")
    seed = draw_seed() if seed is None else int(seed)
    lat = pd.to_numeric(firms[lat_column], errors="coerce").to_numpy(float)
    lon = pd.to_numeric(firms[lon_column], errors="coerce").to_numpy(float)
    labels = firms[by].astype("string").str.strip()
    no_point = ~(np.isfinite(lat) & np.isfinite(lon))
    no_group = (labels.isna() | (labels == "")).to_numpy(bool) & ~no_point
    keep = ~(no_point | no_group)
    left_out = {"no coordinates": int(no_point.sum()), f"no {by}": int(no_group.sum())}
    groups, codes = np.unique(labels[keep].to_numpy(str), return_inverse=True)
    codes = codes.astype(np.int32)  # pair codes a * k + b stay far below 2**31
    k, n = len(groups), int(keep.sum())

    x, y = to_metric(lon[keep], lat[keep])
    i, j = neighbour_pairs(x, y, radius_km * 1000.0)
    i, j = i.astype(np.int32), j.astype(np.int32)  # half the memory of the pairs
    degree = np.bincount(i, minlength=n)
    weight = 1.0 / degree[i] if i.size else np.empty(0)
    has_neighbour = degree > 0

    counts = np.bincount(codes, minlength=k).astype(float)
    expected = (counts[None, :] - np.eye(k)) / max(n - 1, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = _quotient_sums(codes, i, j, weight, has_neighbour, k) / expected

    p_value = np.full((k, k), np.nan)
    if replicates > 0 and k:
        rng = np.random.default_rng(seed)
        at_least = np.zeros((k, k))
        tolerance = 1e-9 * np.maximum(1.0, np.abs(np.nan_to_num(observed)))
        for r in range(replicates):
            shuffled = codes[rng.permutation(n)]
            with np.errstate(invalid="ignore", divide="ignore"):
                simulated = _quotient_sums(shuffled, i, j, weight, has_neighbour, k) / expected
            at_least += np.nan_to_num(simulated, nan=-np.inf) >= observed - tolerance
            if progress is not None:
                progress((r + 1) / replicates)
        p_value = np.where(np.isfinite(observed), (1.0 + at_least) / (replicates + 1), np.nan)

    a_idx, b_idx = np.divmod(np.arange(k * k), k) if k else (np.empty(0, int),) * 2
    table = pd.DataFrame(
        {
            "sector_a": groups[a_idx].astype(object),
            "sector_b": groups[b_idx].astype(object),
            "colocation": observed.ravel(),
            "p_value": p_value.ravel(),
            "p_adjusted": np.nan,
            "firms_a": counts[a_idx].astype(np.int64),
            "firms_b": counts[b_idx].astype(np.int64),
        }
    )
    off = (a_idx != b_idx) & np.isfinite(table["p_value"].to_numpy())
    if off.any():
        adjusted, _ = adjust_across_sectors(table.loc[off, "p_value"].to_numpy(), alpha, "holm")
        table.loc[off, "p_adjusted"] = adjusted
    table["related"] = (
        (a_idx != b_idx) & (table["colocation"] > 1) & (table["p_value"] < alpha)
    ).to_numpy(bool)
    table.attrs.update(
        {
            "seed": seed,
            "replicates": int(replicates),
            "radius_km": float(radius_km),
            "alpha": float(alpha),
            "firms": n,
            "left_out": left_out,
            "by": by,
        }
    )
    return table


def related_pairs(
    table: pd.DataFrame, *, top: int | None = None, symmetric: bool = True
) -> pd.DataFrame:
    """The related pairs of a :func:`colocation_quotients` table, strongest first.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`colocation_quotients`.
    top : int, optional
        Keep this many.
    symmetric : bool, default True
        Keep one row per unordered pair: the direction with the larger
        quotient (a pair is listed when either direction is related).

    Returns
    -------
    DataFrame
        The rows of ``table`` that are ``related``, by quotient descending.
    """
    rows = table[table["related"].astype(bool)]
    rows = rows.sort_values(["colocation", "sector_a", "sector_b"], ascending=[False, True, True])
    if symmetric and len(rows):
        key = [tuple(sorted(pair)) for pair in zip(rows["sector_a"], rows["sector_b"])]
        rows = rows[~pd.Series(key, index=rows.index).duplicated()]
    if top is not None:
        rows = rows.head(top)
    return rows.reset_index(drop=True)
