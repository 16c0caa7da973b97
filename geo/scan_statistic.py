"""The scan statistic of a cluster, its descriptive tail, and the adjustment across sectors.

The pieces of :mod:`geo.significance` that do not depend on clustering: the
Bernoulli log likelihood ratio of Kulldorff's spatial scan statistic, the
exact hypergeometric tail of one footprint, Holm's and Benjamini and
Hochberg's adjustments over sectors, and the number of replicates and the
seed of a Monte Carlo test (see :mod:`geo.significance` for the method).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from geo.settings import MIN_SIGNIFICANCE_REPLICATES

__all__ = [
    "CORRECTIONS",
    "adjust_across_sectors",
    "bernoulli_llr",
    "draw_seed",
    "hypergeom_tail",
    "replicates_for",
]

#: Adjustments across sectors.
CORRECTIONS = ("holm", "bh")


def replicates_for(
    tests: int, alpha: float = 0.05, minimum: int = MIN_SIGNIFICANCE_REPLICATES
) -> int:
    """The smallest ``R`` (at least ``minimum``, ending in 99) with which Holm's first step
    over ``tests`` sectors can reject: ``1 / (R + 1) <= alpha / tests``."""
    needed = int(np.ceil(max(int(tests), 1) / alpha / 100.0)) * 100 - 1
    return max(int(minimum), needed)


def draw_seed() -> int:
    """A fresh seed (from the operating system's entropy), to record with a result."""
    return int(np.random.default_rng().integers(0, 2**31 - 1))


# -- the statistic and the descriptive tail -------------------------------------------


def bernoulli_llr(
    cases: ArrayLike, population: ArrayLike, total_cases: ArrayLike, total_population: ArrayLike
) -> np.ndarray:
    """Kulldorff's Bernoulli log likelihood ratio of windows (0 where not elevated).

    Parameters
    ----------
    cases, population : array-like
        Firms of the sector in each window (``c``) and all firms in it (``n``).
    total_cases, total_population : float or array-like
        The same over the whole study area (``C``, ``N``).

    Returns
    -------
    ndarray of float
        ``log L(window) - log L0``, 0 where ``c / n`` is not above the share
        outside the window (a one-sided scan for concentrations).

    Examples
    --------
    >>> round(float(bernoulli_llr(8, 10, 20, 100)), 4)
    9.6955
    """
    c, n, C, N = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (cases, population, total_cases, total_population))
    )

    def xlogx(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(
                a > 0, a * np.log(np.where(a > 0, a, 1.0) / np.where(b > 0, b, 1.0)), 0.0
            )

    out_n, out_c = N - n, C - c
    with np.errstate(divide="ignore", invalid="ignore"):
        elevated = (n > 0) & (out_n > 0) & (c * out_n > out_c * n)
    value = (
        xlogx(c, n)
        + xlogx(n - c, n)
        + xlogx(out_c, out_n)
        + xlogx(out_n - out_c, out_n)
        - xlogx(C, N)
        - xlogx(N - C, N)
    )
    return np.where(elevated, np.maximum(value, 0.0), 0.0)


def hypergeom_tail(
    cases: ArrayLike, population: ArrayLike, total_cases: ArrayLike, total_population: ArrayLike
) -> np.ndarray:
    """Exact upper tail ``P(X >= c)`` of the hypergeometric distribution.

    ``X`` counts the sector's firms among ``n`` drawn without replacement from
    ``N`` firms of which ``C`` are of the sector: the chance of at least ``c``
    in a window of ``n`` fixed in advance. Summed in log space (log-gamma,
    log-sum-exp), so that tails down to 1e-300 keep their digits.

    Parameters
    ----------
    cases, population, total_cases, total_population : array-like of int
        ``c``, ``n``, ``C``, ``N`` (broadcast together).

    Returns
    -------
    ndarray of float
    """
    from scipy.special import gammaln, logsumexp

    c, n, C, N = (
        np.asarray(v, dtype=np.int64)
        for v in np.broadcast_arrays(cases, population, total_cases, total_population)
    )
    out = np.empty(c.shape, dtype=float)
    flat = zip(c.ravel(), n.ravel(), C.ravel(), N.ravel())

    def log_choose(a: Any, b: Any) -> Any:
        return gammaln(a + 1.0) - gammaln(b + 1.0) - gammaln(a - b + 1.0)

    values = []
    for ci, ni, Ci, Ni in flat:
        if not (0 <= Ci <= Ni and 0 <= ni <= Ni):
            raise ValueError(f"impossible counts: c={ci}, n={ni}, C={Ci}, N={Ni}")
        low, high = max(0.0, float(ni - (Ni - Ci))), float(min(ni, Ci))
        if ci <= low:
            values.append(1.0)
            continue
        if ci > high:
            values.append(0.0)
            continue
        k = np.arange(ci, high + 1, dtype=float)
        logs = log_choose(Ci, k) + log_choose(Ni - Ci, ni - k) - log_choose(float(Ni), ni)
        values.append(float(min(1.0, np.exp(logsumexp(logs)))))
    out.ravel()[:] = values
    return out


def adjust_across_sectors(
    p_values: ArrayLike, alpha: float = 0.05, method: str = "holm"
) -> tuple[np.ndarray, np.ndarray]:
    """Adjust the sectors' smallest p-values for the number of sectors tested.

    Parameters
    ----------
    p_values : array-like of float
        One p-value per sector tested (its best cluster's; 1 without cluster).
    alpha : float, default 0.05
    method : {"holm", "bh"}
        Holm's step-down (controls the family-wise error rate) or Benjamini
        and Hochberg's step-up (controls the false discovery rate; under the
        null of no concentration in any sector the two coincide).

    Returns
    -------
    adjusted : ndarray
        Adjusted p-values of the sectors.
    level : ndarray
        The level at which each sector's clusters are tested: a cluster is
        significant when its ``p_value`` is at most its sector's level
        (0 for a sector that is not retained).
    """
    p = np.asarray(p_values, dtype=float)
    m = p.size
    if method not in CORRECTIONS:
        raise ValueError(f"method must be one of {CORRECTIONS}, got {method!r}")
    if m == 0:
        return np.empty(0), np.empty(0)
    order = np.argsort(p, kind="stable")
    ranked = p[order]
    adjusted = np.empty(m)
    level = np.zeros(m)
    if method == "holm":
        steps = np.minimum(1.0, (m - np.arange(m)) * ranked)
        adj = np.maximum.accumulate(steps)
        first_of_tie = np.searchsorted(ranked, ranked, side="left")
        lev = np.where(adj <= alpha, alpha / (m - first_of_tie), 0.0)
    else:
        steps = np.minimum(1.0, m / np.arange(1, m + 1) * ranked)
        adj = np.minimum.accumulate(steps[::-1])[::-1]
        kept = int((adj <= alpha).sum())
        lev = np.where(adj <= alpha, alpha * kept / m, 0.0)
    adjusted[order] = adj
    level[order] = lev
    return adjusted, level
