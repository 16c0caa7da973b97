"""Compiled kernels of the grid DBSCAN in :mod:`geo.cluster` (numba).

Private: the public interface, its parameters and its guarantees are in
:mod:`geo.cluster`. Points arrive sorted by grid cell; a cell is a run
``start[c]:start[c + 1]`` of the sorted arrays and its 5 x 5 stencil of
neighbouring cells is ``nbr[c]`` (``-1`` where a cell holds no point; entry
12 is the cell itself). Distances are tested on the unit sphere by chord
length, which orders pairs exactly as the haversine distance does.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

SELF = 12  # index of the cell itself in its 5 x 5 stencil


@njit(cache=True, parallel=True)
def stencil(cell_key, ny):
    """For each cell, the indices of the 25 cells around it (-1 if empty)."""
    n = cell_key.shape[0]
    nbr = np.full((n, 25), -1, dtype=np.int32)
    for c in prange(n):
        t = 0
        for dx in range(-2, 3):
            for dy in range(-2, 3):
                k = cell_key[c] + dx * ny + dy
                j = np.searchsorted(cell_key, k)
                if j < n and cell_key[j] == k:
                    nbr[c, t] = j
                t += 1
    return nbr


@njit(inline="always")
def _close(xyz, p, q, chord2):
    dx = xyz[p, 0] - xyz[q, 0]
    dy = xyz[p, 1] - xyz[q, 1]
    dz = xyz[p, 2] - xyz[q, 2]
    return dx * dx + dy * dy + dz * dz <= chord2


@njit(cache=True, parallel=True)
def core_points(xyz, weight, start, nbr, chord2, min_samples):
    """Core flags: the weight within eps (the point included) reaches min_samples.

    Every pair of points in one cell is within eps (the cell's diagonal is
    shorter than eps), so a cell's own weight counts without distances; the
    other cells are scanned until the threshold is reached.
    """
    ncell = start.shape[0] - 1
    core = np.zeros(xyz.shape[0], dtype=np.bool_)
    for c in prange(ncell):
        own = 0.0
        for p in range(start[c], start[c + 1]):
            own += weight[p]
        for p in range(start[c], start[c + 1]):
            total = own
            if total >= min_samples:
                core[p] = True
                continue
            for t in range(25):
                c2 = nbr[c, t]
                if t == SELF or c2 < 0:
                    continue
                for q in range(start[c2], start[c2 + 1]):
                    if _close(xyz, p, q, chord2):
                        total += weight[q]
                        if total >= min_samples:
                            break
                if total >= min_samples:
                    core[p] = True
                    break
    return core


@njit(cache=True)
def _find(parent, a):
    root = a
    while parent[root] != root:
        root = parent[root]
    while parent[a] != root:
        nxt = parent[a]
        parent[a] = root
        a = nxt
    return root


@njit(cache=True, parallel=True)
def _cells_touch(xyz, core, start, nbr, chord2, has_core):
    """touch[c, t]: some core point of cell c is within eps of one of nbr[c, t]."""
    ncell = start.shape[0] - 1
    touch = np.zeros((ncell, 25), dtype=np.bool_)
    for c in prange(ncell):
        if not has_core[c]:
            continue
        for t in range(25):
            c2 = nbr[c, t]
            if c2 <= c or not has_core[c2]:
                continue
            found = False
            for p in range(start[c], start[c + 1]):
                if not core[p]:
                    continue
                for q in range(start[c2], start[c2 + 1]):
                    if core[q] and _close(xyz, p, q, chord2):
                        found = True
                        break
                if found:
                    break
            touch[c, t] = found
    return touch


@njit(cache=True)
def connect_cells(xyz, core, start, nbr, chord2):
    """Connected components of core cells; returns each cell's root (-1: no core)."""
    ncell = start.shape[0] - 1
    has_core = np.zeros(ncell, dtype=np.bool_)
    for c in range(ncell):
        for p in range(start[c], start[c + 1]):
            if core[p]:
                has_core[c] = True
                break
    touch = _cells_touch(xyz, core, start, nbr, chord2, has_core)
    parent = np.arange(ncell)
    for c in range(ncell):
        for t in range(25):
            if touch[c, t]:
                a = _find(parent, c)
                b = _find(parent, nbr[c, t])
                if a != b:
                    if a < b:
                        parent[b] = a
                    else:
                        parent[a] = b
    root = np.full(ncell, -1, dtype=np.int64)
    for c in range(ncell):
        if has_core[c]:
            root[c] = _find(parent, c)
    return root


@njit(cache=True, parallel=True)
def border_labels(xyz, core, start, nbr, chord2, cell_label):
    """Labels of all points: a core point takes its cell's cluster; a non-core
    point the smallest cluster label among the core points within eps (the
    cluster that scikit-learn's expansion reaches first), else -1."""
    ncell = start.shape[0] - 1
    labels = np.full(xyz.shape[0], -1, dtype=np.int64)
    big = np.iinfo(np.int64).max
    for c in prange(ncell):
        for p in range(start[c], start[c + 1]):
            if core[p]:
                labels[p] = cell_label[c]
                continue
            best = big
            for t in range(25):
                c2 = nbr[c, t]
                if c2 < 0 or cell_label[c2] < 0 or cell_label[c2] >= best:
                    continue
                for q in range(start[c2], start[c2 + 1]):
                    if core[q] and _close(xyz, p, q, chord2):
                        best = cell_label[c2]
                        break
            if best != big:
                labels[p] = best
    return labels
