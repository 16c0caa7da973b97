"""Compiled kernels of the Monte Carlo scan in :mod:`geo.significance` (numba).

Private: the public interface and its guarantees are in :mod:`geo.significance`.

One replicate relabels the located firms (a permutation of sector codes and
weights over fixed places), runs the grid DBSCAN of :mod:`geo.cluster` on
every sector at once and returns, per sector, the largest Bernoulli log
likelihood ratio of its clusters' footprints.

What does not change between replicates is built once: the places sorted by
the cell of one grid over *all* firms (cells a little shorter than
``eps / sqrt(2)``, as in :mod:`geo.cluster`), each cell's 5 x 5 stencil of
neighbouring cells (``nbr``, from :func:`geo._dbscan_kernels.stencil`) and the
number of firms in each cell (``pop``). A replicate only sorts its firms by
(sector, cell) with a counting sort and runs the DBSCAN steps on that order:
a sector's cell ``(g, c)`` has the neighbours ``(g, nbr[c, t])``.

A cluster's *footprint* is the set of grid cells that hold its firms; its
population is every firm in those cells, its cases the firms of its sector.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from geo._dbscan_kernels import SELF, _close, _find


@njit(inline="always")
def _xlogx_ratio(a, b):
    """a * log(a / b), 0 when a is 0."""
    if a <= 0.0:
        return 0.0
    return a * np.log(a / b)


@njit(cache=True)
def bernoulli_llr_scalar(c, n, total_c, total_n):
    """Kulldorff's Bernoulli log likelihood ratio of a window: ``c`` cases among
    ``n`` in the window, ``total_c`` among ``total_n`` in all; 0 unless the
    window's rate is above the rate outside it."""
    out_n = total_n - n
    out_c = total_c - c
    if n <= 0.0 or out_n <= 0.0:
        return 0.0
    if c * out_n <= out_c * n:  # c / n <= out_c / out_n
        return 0.0
    value = (
        _xlogx_ratio(c, n)
        + _xlogx_ratio(n - c, n)
        + _xlogx_ratio(out_c, out_n)
        + _xlogx_ratio(out_n - out_c, out_n)
        - _xlogx_ratio(total_c, total_n)
        - _xlogx_ratio(total_n - total_c, total_n)
    )
    return max(value, 0.0)


@njit(cache=True)
def _one_replicate(
    xyz, cell, nbr, pop, codes, weight, perm, n_groups, totals, chord2, min_samples, out
):
    """DBSCAN of every group of one relabelling and the largest footprint LLR per group.

    ``perm[i]`` is the position whose code and weight the place ``i`` takes.
    Writes ``out[g]`` (0 when group g has no cluster).
    """
    n = xyz.shape[0]
    m = nbr.shape[0]
    n_keys = n_groups * m
    total_n = float(n)

    # counting sort of the places by key = group * m + cell, stable in place order
    start = np.zeros(n_keys + 1, dtype=np.int64)
    code_r = np.empty(n, dtype=np.int64)
    for i in range(n):
        g = codes[perm[i]]
        code_r[i] = g
        start[g * m + cell[i] + 1] += 1
    for k in range(n_keys):
        start[k + 1] += start[k]
    fill = start[:-1].copy()
    order = np.empty(n, dtype=np.int64)
    for i in range(n):
        k = code_r[i] * m + cell[i]
        order[fill[k]] = i
        fill[k] += 1
    pts = np.empty((n, 3))
    w = np.empty(n)
    for s in range(n):
        i = order[s]
        pts[s, 0] = xyz[i, 0]
        pts[s, 1] = xyz[i, 1]
        pts[s, 2] = xyz[i, 2]
        w[s] = weight[perm[i]]

    # the keys that hold firms, in order
    n_used = 0
    for k in range(n_keys):
        if start[k + 1] > start[k]:
            n_used += 1
    used = np.empty(n_used, dtype=np.int64)
    slot = np.full(n_keys, -1, dtype=np.int64)
    j = 0
    for k in range(n_keys):
        if start[k + 1] > start[k]:
            used[j] = k
            slot[k] = j
            j += 1

    # core firms: the weight within eps, the firm included, reaches min_samples
    core = np.zeros(n, dtype=np.bool_)
    has_core = np.zeros(n_used, dtype=np.bool_)
    for u in range(n_used):
        k = used[u]
        g = k // m
        c = k - g * m
        own = 0.0
        for p in range(start[k], start[k + 1]):
            own += w[p]
        for p in range(start[k], start[k + 1]):
            total = own
            if total < min_samples:
                for t in range(25):
                    c2 = nbr[c, t]
                    if t == SELF or c2 < 0:
                        continue
                    k2 = g * m + c2
                    for q in range(start[k2], start[k2 + 1]):
                        if _close(pts, p, q, chord2):
                            total += w[q]
                            if total >= min_samples:
                                break
                    if total >= min_samples:
                        break
            if total >= min_samples:
                core[p] = True
                has_core[u] = True

    # clusters: connected cells with core firms (union-find over used keys)
    parent = np.arange(n_used)
    for u in range(n_used):
        if not has_core[u]:
            continue
        k = used[u]
        g = k // m
        c = k - g * m
        for t in range(25):
            c2 = nbr[c, t]
            if t == SELF or c2 < 0 or c2 < c:
                continue
            u2 = slot[g * m + c2]
            if u2 < 0 or not has_core[u2]:
                continue
            a = _find(parent, u)
            b = _find(parent, u2)
            if a == b:
                continue
            found = False
            for p in range(start[k], start[k + 1]):
                if not core[p]:
                    continue
                for q in range(start[used[u2]], start[used[u2] + 1]):
                    if core[q] and _close(pts, p, q, chord2):
                        found = True
                        break
                if found:
                    break
            if found:
                if a < b:
                    parent[b] = a
                else:
                    parent[a] = b

    # labels: a core firm its cell's root; a border firm the smallest root within eps
    big = np.iinfo(np.int64).max
    label = np.full(n, -1, dtype=np.int64)
    for u in range(n_used):
        k = used[u]
        g = k // m
        c = k - g * m
        for p in range(start[k], start[k + 1]):
            if core[p]:
                label[p] = _find(parent, u)
                continue
            best = big
            for t in range(25):
                c2 = nbr[c, t]
                if c2 < 0:
                    continue
                u2 = slot[g * m + c2]
                if u2 < 0 or not has_core[u2]:
                    continue
                r = _find(parent, u2)
                if r >= best:
                    continue
                for q in range(start[used[u2]], start[used[u2] + 1]):
                    if core[q] and _close(pts, p, q, chord2):
                        best = r
                        break
            if best != big:
                label[p] = best

    # footprints: each cluster's distinct cells, their firms and their cases
    foot_n = np.zeros(n_used)
    foot_c = np.zeros(n_used)
    for u in range(n_used):
        k = used[u]
        g = k // m
        c = k - g * m
        first = start[k]
        for p in range(first, start[k + 1]):
            r = label[p]
            if r < 0:
                continue
            seen = False
            for q in range(first, p):
                if label[q] == r:
                    seen = True
                    break
            if not seen:
                foot_n[r] += pop[c]
                foot_c[r] += start[k + 1] - start[k]
    for g in range(n_groups):
        out[g] = 0.0
    for u in range(n_used):
        if foot_n[u] > 0.0:
            g = used[u] // m
            value = bernoulli_llr_scalar(foot_c[u], foot_n[u], totals[g], total_n)
            if value > out[g]:
                out[g] = value


@njit(cache=True, parallel=True)
def replicate_maxima(
    xyz, cell, nbr, pop, codes, weight, perms, n_groups, totals, chord2, min_samples
):
    """The largest footprint LLR per group in each relabelling ``perms[b]``, shape (B, G)."""
    n_rep = perms.shape[0]
    out = np.zeros((n_rep, n_groups))
    for b in prange(n_rep):
        _one_replicate(
            xyz,
            cell,
            nbr,
            pop,
            codes,
            weight,
            perms[b],
            n_groups,
            totals,
            chord2,
            min_samples,
            out[b],
        )
    return out
