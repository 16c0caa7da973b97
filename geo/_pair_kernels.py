"""Compiled pair-distance histograms of :mod:`geo.localisation` (numba).

Private: see :mod:`geo.localisation`. Distances are Euclidean in the
projected plane (kilometres); each pair's weight ``w_i * w_j`` is shared
between the two grid nodes around its distance (linear binning, Wand and
Jones, 1995), so that a Gaussian kernel estimate on the nodes differs from
the exact one by a fraction of a percent of ``(step / bandwidth)**2``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange


@njit(cache=True)
def pair_histogram(x, y, w, step, n_nodes, out):
    """Add the linearly binned weights of all pairs closer than ``(n_nodes - 1) * step``."""
    n = x.shape[0]
    top = (n_nodes - 1) * step
    for i in range(n - 1):
        xi = x[i]
        yi = y[i]
        wi = w[i]
        for j in range(i + 1, n):
            dx = x[j] - xi
            dy = y[j] - yi
            d = np.sqrt(dx * dx + dy * dy)
            if d >= top:
                continue
            u = d / step
            k = int(u)
            f = u - k
            pw = wi * w[j]
            out[k] += pw * (1.0 - f)
            out[k + 1] += pw * f


@njit(cache=True, parallel=True)
def drawn_histograms(x_all, y_all, draws, w, step, n_nodes):
    """Histograms of the sites ``draws[b]`` (indices into all sites) weighted by ``w``."""
    n_draws = draws.shape[0]
    n = draws.shape[1]
    out = np.zeros((n_draws, n_nodes))
    for b in prange(n_draws):
        x = np.empty(n)
        y = np.empty(n)
        for i in range(n):
            x[i] = x_all[draws[b, i]]
            y[i] = y_all[draws[b, i]]
        pair_histogram(x, y, w, step, n_nodes, out[b])
    return out
