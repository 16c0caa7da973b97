"""Is a sector localised? Duranton and Overman's K-density against random draws.

Duranton and Overman (2005, *Review of Economic Studies* 72: 1077-1106) ask
at which distances a sector's firms are closer to each other than firms
drawn at random from the places where all firms are:

K-density
    For a sector of ``n`` firms, the density of the ``n (n - 1) / 2``
    distances between its firms, estimated with a Gaussian kernel and
    reflected at 0 (no distance is negative)::

        K(d) = 1 / (m h) * sum_{i<j} [phi((d - d_ij) / h) + phi((d + d_ij) / h)]

    over ``0 <= d <= max_km``; ``m`` counts all pairs, so that ``K``
    integrates to 1 over all distances. With ``weight`` (their second
    version, by employment) each pair counts ``e_i * e_j`` and
    ``m = sum_{i<j} e_i e_j``.
Bandwidth
    Silverman's (1986) rule of thumb, ``h = 0.9 min(sd, IQR / 1.34) m^(-1/5)``,
    as in the paper, applied to the sector's distances within ``max_km``.
    (Over all distances, the thousand-kilometre distances between aimags
    would give Mongolia's sectors bandwidths of 10-20 km and blur every
    scale the atlas is about.) The same ``h`` is used for the draws.
Counterfactuals
    ``R`` draws of ``n`` places among the places of all located firms
    (without replacement; weighted: the sector's employment assigned to the
    drawn places at random).
Bands
    *Local*: the 5th and 95th percentiles of the draws at each distance.
    *Global*: bands that the draws cross at some distance in only 5% of
    cases, built on the studentised deviation ``(K(d) - mean(d)) / sd(d)``:
    ``global_high = mean + c sd`` with ``c`` the 95th percentile of the
    draws' largest studentised deviation over ``[0, max_km]`` (and the same
    downwards). Duranton and Overman interpolate pointwise percentiles
    instead; with a few hundred draws that search runs out of draws,
    whereas this band and the p-value below always agree: the curve leaves
    the global band exactly when ``p_localised`` is below 0.05 (up to ties).
Reading
    The sector is *localised* at the distances where ``K`` is above the
    upper global band, *dispersed* where it is below the lower one and
    never localised. The localisation index is ``sum_d max(K(d) - global_high(d), 0) * step``
    (the share of pairs in excess of the band), the dispersion index the
    same below the lower band. ``p_localised`` is the rank of the curve's
    largest studentised deviation among the draws':
    ``(1 + draws at least as extreme) / (R + 1)``.

Distances are Euclidean in the Lambert conformal conic of
:mod:`geo.projection` (within 0.3% of great-circle distances at these
scales). Every result records its seed; each sector draws from its own
:class:`numpy.random.Generator` seeded by ``(seed, sector)``, so a sector's
curve does not depend on which other sectors were computed.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from geo import _pair_kernels
from geo.cluster import MONGOLIA_BBOX, POINT_PRECISIONS
from geo.projection import to_metric

__all__ = ["CURVE_COLUMNS", "Localisation", "k_density", "localisation", "silverman_bandwidth"]

#: Columns of :attr:`Localisation.curves` after the group column.
CURVE_COLUMNS = ["distance_km", "k_density", "local_low", "local_high", "global_low", "global_high"]
#: Fewest pairs within ``max_km`` for a curve (a bandwidth needs a spread).
MIN_PAIRS = 10
_SUPPORT = 6.0  # the kernel is cut at 6 bandwidths (phi(6) < 1e-8)
_FINE = 20  # nodes per bandwidth, at least


def silverman_bandwidth(distances: ArrayLike, counts: ArrayLike | None = None) -> float:
    """Silverman's rule of thumb: ``0.9 min(sd, IQR / 1.34) m^(-1/5)``.

    Parameters
    ----------
    distances : array-like of float
        The values (or the nodes of a histogram).
    counts : array-like of float, optional
        How many values sit at each of ``distances`` (a histogram).

    Returns
    -------
    float
        The bandwidth; as R's ``bw.nrd0``, the standard deviation stands in
        when the interquartile range is 0. ``nan`` for fewer than 2 values.
    """
    d = np.asarray(distances, dtype=float).ravel()
    c = np.ones_like(d) if counts is None else np.asarray(counts, dtype=float).ravel()
    m = float(c.sum())
    if m < 2:
        return float("nan")
    mean = float((c * d).sum() / m)
    sd = float(np.sqrt(max((c * (d - mean) ** 2).sum() / (m - 1), 0.0)))
    if counts is None:
        q1, q3 = np.quantile(d, [0.25, 0.75])
    else:
        order = np.argsort(d, kind="stable")
        cum = np.cumsum(c[order])
        q1, q3 = np.interp([0.25 * m, 0.75 * m], cum, d[order])
    spread = min(sd, (q3 - q1) / 1.34)
    if not spread > 0:
        spread = sd if sd > 0 else (abs(mean) if mean else 1.0)
    return 0.9 * spread * m**-0.2


def _smooth(hist: np.ndarray, delta: float, bandwidth: float) -> np.ndarray:
    """Gaussian kernel estimate, reflected at 0, on the nodes of linear-binned histograms."""
    from scipy.signal import fftconvolve

    hist = np.atleast_2d(hist)
    n_nodes = hist.shape[1]
    half = int(np.ceil(_SUPPORT * bandwidth / delta))
    lags = np.arange(-half, half + 1) * delta
    kernel = np.exp(-0.5 * (lags / bandwidth) ** 2) / (bandwidth * np.sqrt(2 * np.pi))
    mirrored = np.concatenate([hist[:, :0:-1], hist], axis=1)
    mirrored[:, n_nodes - 1] += hist[:, 0]  # a distance 0 reflects onto itself
    out = fftconvolve(mirrored, kernel[None, :], mode="same", axes=1)
    return np.maximum(out[:, n_nodes - 1 :], 0.0)


def _nodes(max_km: float, step_km: float, bandwidth: float) -> tuple[float, int, int]:
    """Fine node spacing (a divisor of the output step), its stride and the node count."""
    stride = int(np.ceil(step_km / (bandwidth / _FINE)))
    stride = max(1, min(stride, int(np.ceil(50_000 * step_km / max_km))))
    delta = step_km / stride
    n_nodes = int(np.ceil((max_km + _SUPPORT * bandwidth) / delta)) + 2
    return delta, stride, n_nodes


def k_density(
    x_km: ArrayLike,
    y_km: ArrayLike,
    max_km: float,
    step_km: float,
    bandwidth_km: float,
    weights: ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The K-density of a set of points at ``0, step_km, ..., max_km``.

    Parameters
    ----------
    x_km, y_km : array-like of float
        Projected coordinates in kilometres.
    max_km, step_km : float
        The distances at which ``K`` is estimated.
    bandwidth_km : float
        The Gaussian kernel's standard deviation.
    weights : array-like of float, optional
        Weights of the points (employment); pairs count ``w_i * w_j``.

    Returns
    -------
    distances : ndarray
    density : ndarray
        Per kilometre; over all distances it integrates to 1.
    """
    x = np.ascontiguousarray(x_km, dtype=float)
    y = np.ascontiguousarray(y_km, dtype=float)
    w = np.ones_like(x) if weights is None else np.ascontiguousarray(weights, dtype=float)
    distances = _distances(max_km, step_km)
    total = (w.sum() ** 2 - (w**2).sum()) / 2.0
    if x.size < 2 or total <= 0:
        return distances, np.full(distances.size, np.nan)
    delta, stride, n_nodes = _nodes(max_km, step_km, bandwidth_km)
    hist = np.zeros(n_nodes)
    _pair_kernels.pair_histogram(x, y, w, delta, n_nodes, hist)
    dens = _smooth(hist, delta, bandwidth_km)[0] / total
    return distances, dens[::stride][: distances.size]


def _distances(max_km: float, step_km: float) -> np.ndarray:
    count = int(round(max_km / step_km)) + 1
    return np.round(np.arange(count) * step_km, 10)


def _ranges(mask: np.ndarray, distances: np.ndarray) -> list[tuple[float, float]]:
    """Runs of True in ``mask`` as (first, last) distances."""
    out = []
    start = None
    for i, flag in enumerate(mask):
        if flag and start is None:
            start = i
        if not flag and start is not None:
            out.append((float(distances[start]), float(distances[i - 1])))
            start = None
    if start is not None:
        out.append((float(distances[start]), float(distances[-1])))
    return out


@dataclass(frozen=True)
class Localisation:
    """What :func:`localisation` returns.

    Attributes
    ----------
    curves : DataFrame
        Per group and distance: the group column, ``distance_km``,
        ``k_density``, ``local_low``, ``local_high``, ``global_low``,
        ``global_high`` (densities per km).
    summary : DataFrame
        Per group: ``firms``, ``sampled`` (firms used: all, or ``max_firms``),
        ``pairs`` (within ``max_km``, among those used),
        ``bandwidth_km``, ``status`` (``localised``, ``dispersed``,
        ``neither`` or ``too few``), ``localised_ranges`` and
        ``dispersed_ranges`` (lists of (from, to) km), ``localised_up_to_km``,
        ``localisation_index``, ``dispersion_index``, ``p_localised``,
        ``p_dispersed``; sorted by localisation.
    replicates, seed : int
    max_km, step_km : float
    weight : str or None
    max_firms : int or None
    """

    curves: pd.DataFrame
    summary: pd.DataFrame
    replicates: int
    seed: int
    max_km: float
    step_km: float
    weight: str | None
    max_firms: int | None = None

    def metadata(self) -> dict[str, object]:
        """How the curves were made: for the metadata of an export."""
        return {
            "method": "Duranton-Overman K-density, Gaussian kernel reflected at 0, "
            "Silverman bandwidth; random draws from all located firms; "
            "studentised global bands",
            "replicates": self.replicates,
            "seed": self.seed,
            "max_km": self.max_km,
            "step_km": self.step_km,
            "weight": self.weight,
            "max_firms": self.max_firms,
        }


def located_mask(
    firms: pd.DataFrame,
    *,
    include_centres: bool = False,
    lat_column: str = "lat",
    lon_column: str = "lon",
    precision_column: str = "precision",
) -> np.ndarray:
    """Firms placed at a point in Mongolia (as :func:`geo.cluster.cluster_firms` clusters them)."""
    lat = pd.to_numeric(firms[lat_column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lon = pd.to_numeric(firms[lon_column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    x0, y0, x1, y1 = MONGOLIA_BBOX
    ok = np.isfinite(lat) & np.isfinite(lon)
    ok &= (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
    if precision_column in firms.columns and not include_centres:
        ok &= (
            firms[precision_column]
            .astype("string")
            .isin(POINT_PRECISIONS)
            .fillna(False)
            .to_numpy(dtype=bool)
        )
    return ok


def localisation(
    firms: pd.DataFrame,
    *,
    by: str = "sector",
    max_km: float = 20.0,
    step_km: float | None = None,
    replicates: int = 99,
    weight: str | None = None,
    seed: int | None = None,
    groups: list[str] | None = None,
    include_centres: bool = False,
    max_firms: int | None = None,
    alpha: float = 0.05,
    progress: Callable[[float], None] | None = None,
    lat_column: str = "lat",
    lon_column: str = "lon",
    precision_column: str = "precision",
) -> Localisation:
    """Duranton-Overman K-densities with local and global bands, per group.

    Parameters
    ----------
    firms : DataFrame
        Firms with WGS84 coordinates and the ``by`` column. The firms placed
        at a point (``precision`` "point", or every firm with coordinates if
        there is no precision column) are the places of the counterfactuals.
    by : str, default "sector"
    max_km : float, default 20
        ``D``: the densities are estimated over ``[0, D]`` (0.5-500 km).
    step_km : float, optional
        Spacing of the distances written; ``D / 200`` by default.
    replicates : int, default 99
        ``R``, random draws per group (19-100,000).
    weight : str, optional
        Employment column: the employment-weighted K-density.
    seed : int, optional
        Drawn (and recorded) when not given.
    groups : list of str, optional
        Only these groups (default: all).
    include_centres : bool, default False
        Also use firms placed only at a soum or district centre.
    max_firms : int, optional
        A group with more firms is represented by a random ``max_firms`` of
        them (from its own generator), and so are its draws: the work grows
        with the square of a group's size (the summary's ``sampled`` says how
        many were used). Default: every firm.
    alpha : float, default 0.05
        One-sided level of the global bands (and 1 - the local percentile).
    progress : callable, optional
        Called with the fraction done.

    Returns
    -------
    Localisation
    """
    from geo.significance import draw_seed

    if not 0.5 <= float(max_km) <= 500:
        raise ValueError(f"max_km must be between 0.5 and 500 km, got {max_km!r}")
    step_km = float(max_km) / 200 if step_km is None else float(step_km)
    if not 0 < step_km <= max_km / 2:
        raise ValueError(f"step_km must be positive and at most max_km / 2, got {step_km!r}")
    if int(replicates) != replicates or not 19 <= int(replicates) <= 100_000:
        raise ValueError(
            f"replicates must be a whole number from 19 to 100,000, got {replicates!r}"
        )
    if max_firms is not None and int(max_firms) < 10:
        raise ValueError(f"max_firms must be at least 10, got {max_firms!r}")
    for col in (by, lat_column, lon_column, weight):
        if col is not None and col not in firms.columns:
            raise ValueError(f"no column {col!r}")
    replicates = int(replicates)
    seed = draw_seed() if seed is None else int(seed)
    ok = located_mask(
        firms,
        include_centres=include_centres,
        lat_column=lat_column,
        lon_column=lon_column,
        precision_column=precision_column,
    )
    located = firms[ok]
    x, y = to_metric(
        pd.to_numeric(located[lon_column]).to_numpy(float),
        pd.to_numeric(located[lat_column]).to_numpy(float),
    )
    x, y = np.ascontiguousarray(x / 1000.0), np.ascontiguousarray(y / 1000.0)
    label = located[by].astype("string").fillna("(none)").to_numpy(dtype=object)
    if weight is not None:
        w_all = np.array(pd.to_numeric(located[weight], errors="coerce"), dtype=float)
        w_all = np.where(np.isfinite(w_all) & (w_all >= 0), w_all, 0.0)
    else:
        w_all = np.ones(label.size)
    names = sorted(set(label)) if groups is None else [str(g) for g in groups]
    distances = _distances(float(max_km), step_km)
    curves, rows = [], []
    for number, name in enumerate(names):
        members = np.flatnonzero(label == name)
        curve, row = _one_group(
            name,
            x,
            y,
            members,
            w_all,
            distances,
            float(max_km),
            step_km,
            replicates,
            seed,
            alpha,
            max_firms,
        )
        rows.append(row)
        if curve is not None:
            curves.append(curve)
        if progress is not None:
            progress((number + 1) / max(len(names), 1))
    curve_frame = (
        pd.concat(curves, ignore_index=True)
        if curves
        else pd.DataFrame({c: pd.Series([], dtype=float) for c in CURVE_COLUMNS})
    )
    curve_frame.insert(
        0,
        by,
        curve_frame.pop("group") if "group" in curve_frame.columns else pd.Series([], dtype=object),
    )
    summary = pd.DataFrame(rows)
    summary.insert(0, by, summary.pop("group"))
    order = summary["status"].map({"localised": 0, "neither": 1, "dispersed": 2, "too few": 3})
    summary = (
        summary.assign(
            _o=order,
            _i=-summary["localisation_index"].fillna(0),
            _d=summary["dispersion_index"].fillna(0),
        )
        .sort_values(["_o", "_i", "_d", by])
        .drop(columns=["_o", "_i", "_d"])
        .reset_index(drop=True)
    )
    return Localisation(
        curve_frame,
        summary,
        replicates,
        seed,
        float(max_km),
        step_km,
        weight,
        None if max_firms is None else int(max_firms),
    )


def _one_group(
    name: str,
    x: np.ndarray,
    y: np.ndarray,
    members: np.ndarray,
    w_all: np.ndarray,
    distances: np.ndarray,
    max_km: float,
    step_km: float,
    replicates: int,
    seed: int,
    alpha: float,
    max_firms: int | None = None,
) -> Any:
    """The curve and summary row of one group."""
    rng = np.random.default_rng([seed, zlib.crc32(str(name).encode("utf-8"))])
    firms = members.size
    if max_firms is not None and members.size > max_firms:
        members = np.sort(rng.choice(members, int(max_firms), replace=False))
    n = members.size
    xs, ys, ws = x[members], y[members], w_all[members]
    row = {
        "group": name,
        "firms": int(firms),
        "sampled": int(n),
        "pairs": 0,
        "bandwidth_km": np.nan,
        "status": "too few",
        "localised_ranges": [],
        "dispersed_ranges": [],
        "localised_up_to_km": np.nan,
        "localisation_index": np.nan,
        "dispersion_index": np.nan,
        "p_localised": np.nan,
        "p_dispersed": np.nan,
    }
    total = (ws.sum() ** 2 - (ws**2).sum()) / 2.0
    if n < 2 or total <= 0:
        return None, row
    # the bandwidth: Silverman's rule on the (unweighted) distances within max_km
    fine = max_km / 4000
    counts = np.zeros(4002)
    _pair_kernels.pair_histogram(xs, ys, np.ones(n), fine, 4002, counts)
    nodes = np.arange(4002) * fine
    counts[4001] = 0.0  # beyond max_km
    within = nodes <= max_km + 1e-12
    pairs = float(counts[within].sum())
    row["pairs"] = int(round(pairs))
    if pairs < MIN_PAIRS:
        return None, row
    h = silverman_bandwidth(nodes[within], counts[within])
    row["bandwidth_km"] = h
    delta, stride, n_nodes = _nodes(max_km, step_km, h)
    size = distances.size

    def curves_of(hist: np.ndarray) -> np.ndarray:
        return _smooth(hist, delta, h)[:, ::stride][:, :size] / total

    hist = np.zeros(n_nodes)
    _pair_kernels.pair_histogram(xs, ys, ws, delta, n_nodes, hist)
    observed = curves_of(hist)[0]
    batch = int(max(1, min(replicates, 8_000_000 // max(n_nodes, n, 1))))
    draws = np.empty((replicates, size))
    done = 0
    while done < replicates:
        count = min(batch, replicates - done)
        sites = np.stack([rng.choice(x.size, n, replace=False) for _ in range(count)])
        draws[done : done + count] = curves_of(
            _pair_kernels.drawn_histograms(x, y, sites.astype(np.int64), ws, delta, n_nodes)
        )
        done += count

    local_low, local_high = np.quantile(draws, [alpha, 1 - alpha], axis=0)
    mean = draws.mean(axis=0)
    sd = draws.std(axis=0, ddof=1)
    sd = np.maximum(sd, 1e-9 * max(float(mean.max()), 1e-300))
    up = ((draws - mean) / sd).max(axis=1)
    down = ((mean - draws) / sd).max(axis=1)
    c_up, c_down = np.quantile(up, 1 - alpha), np.quantile(down, 1 - alpha)
    global_high = mean + c_up * sd
    global_low = np.maximum(mean - c_down * sd, 0.0)
    t_up = float(((observed - mean) / sd).max())
    t_down = float(((mean - observed) / sd).max())
    tol = 1e-9
    p_up = (1.0 + float((up >= t_up - tol).sum())) / (replicates + 1.0)
    p_down = (1.0 + float((down >= t_down - tol).sum())) / (replicates + 1.0)

    above = observed > global_high
    below = observed < global_low
    gamma = float(np.clip(observed - global_high, 0, None).sum() * step_km)
    psi = float(np.clip(global_low - observed, 0, None).sum() * step_km) if not above.any() else 0.0
    localised = _ranges(above, distances)
    row.update(
        status="localised" if above.any() else ("dispersed" if below.any() else "neither"),
        localised_ranges=localised,
        dispersed_ranges=_ranges(below, distances) if not above.any() else [],
        localised_up_to_km=localised[-1][1] if localised else np.nan,
        localisation_index=gamma,
        dispersion_index=psi,
        p_localised=p_up,
        p_dispersed=p_down,
    )
    curve = pd.DataFrame(
        {
            "group": name,
            "distance_km": distances,
            "k_density": observed,
            "local_low": local_low,
            "local_high": local_high,
            "global_low": global_low,
            "global_high": global_high,
        }
    )
    return curve, row
