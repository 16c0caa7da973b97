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


# Bounding boxes of cells, in the unit vectors' own space: the chord between two points is
# their Euclidean distance there, so a box bounds every chord from a point to the cell's
# points from below and above, exactly (up to the margin below, which only sends borderline
# cases to the exact test pair by pair).
_MARGIN = 1e-9


@njit(cache=True, parallel=True)
def cell_boxes(xyz, start, mask):
    """Per cell, the bounding box (lo, hi) of its points where ``mask`` holds.

    A cell with no such point gets an empty box (lo = +inf, hi = -inf).
    """
    ncell = start.shape[0] - 1
    lo = np.full((ncell, 3), np.inf)
    hi = np.full((ncell, 3), -np.inf)
    for c in prange(ncell):
        for p in range(start[c], start[c + 1]):
            if not mask[p]:
                continue
            for k in range(3):
                v = xyz[p, k]
                if v < lo[c, k]:
                    lo[c, k] = v
                if v > hi[c, k]:
                    hi[c, k] = v
    return lo, hi


@njit(inline="always")
def _point_box(xyz, p, lo, hi, c):
    """(smallest, largest) squared distance from point p to the box of cell c."""
    near = 0.0
    far = 0.0
    for k in range(3):
        v = xyz[p, k]
        a = lo[c, k] - v
        b = v - hi[c, k]
        d = a if a > b else b
        if d > 0.0:
            near += d * d
        e = v - lo[c, k]
        f = hi[c, k] - v
        g = e if e > f else f
        far += g * g
    return near, far


@njit(inline="always")
def _box_box(lo, hi, c, c2):
    """(smallest, largest) squared distance between the boxes of cells c and c2."""
    near = 0.0
    far = 0.0
    for k in range(3):
        a = lo[c2, k] - hi[c, k]
        b = lo[c, k] - hi[c2, k]
        d = a if a > b else b
        if d > 0.0:
            near += d * d
        e = hi[c2, k] - lo[c, k]
        f = hi[c, k] - lo[c2, k]
        g = e if e > f else f
        far += g * g
    return near, far


@njit(cache=True, parallel=True)
def core_points(xyz, weight, start, nbr, chord2, min_samples):
    """Core flags: the weight within eps (the point included) reaches min_samples.

    Every pair of points in one cell is within eps (the cell's diagonal is
    shorter than eps), so a cell's own weight counts without distances; the
    other cells are scanned until the threshold is reached.
    """
    ncell = start.shape[0] - 1
    core = np.zeros(xyz.shape[0], dtype=np.bool_)
    cell_weight = np.zeros(ncell)
    for c in prange(ncell):
        for p in range(start[c], start[c + 1]):
            cell_weight[c] += weight[p]
    lo, hi = cell_boxes(xyz, start, np.ones(xyz.shape[0], dtype=np.bool_))
    skip = chord2 * (1.0 + _MARGIN)
    whole = chord2 * (1.0 - _MARGIN)
    for c in prange(ncell):
        own = cell_weight[c]
        if own >= min_samples:
            for p in range(start[c], start[c + 1]):
                core[p] = True
            continue
        for p in range(start[c], start[c + 1]):
            total = own
            for t in range(25):
                c2 = nbr[c, t]
                if t == SELF or c2 < 0:
                    continue
                near, far = _point_box(xyz, p, lo, hi, c2)
                if near > skip:
                    continue
                if far < whole:  # the whole cell is within eps
                    total += cell_weight[c2]
                    if total >= min_samples:
                        break
                    continue
                for q in range(start[c2], start[c2 + 1]):
                    if _close(xyz, p, q, chord2):
                        total += weight[q]
                        if total >= min_samples:
                            break
                if total >= min_samples:
                    break
            core[p] = total >= min_samples
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
    lo, hi = cell_boxes(xyz, start, core)
    skip = chord2 * (1.0 + _MARGIN)
    whole = chord2 * (1.0 - _MARGIN)
    for c in prange(ncell):
        if not has_core[c]:
            continue
        for t in range(25):
            c2 = nbr[c, t]
            if c2 <= c or not has_core[c2]:
                continue
            near, far = _box_box(lo, hi, c, c2)
            if near > skip:
                continue
            if far < whole:  # every core pair is within eps
                touch[c, t] = True
                continue
            found = False
            for p in range(start[c], start[c + 1]):
                if not core[p]:
                    continue
                near, far = _point_box(xyz, p, lo, hi, c2)
                if near > skip:
                    continue
                if far < whole:
                    found = True
                    break
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
    lo, hi = cell_boxes(xyz, start, core)
    skip = chord2 * (1.0 + _MARGIN)
    whole = chord2 * (1.0 - _MARGIN)
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
                near, far = _point_box(xyz, p, lo, hi, c2)
                if near > skip:
                    continue
                if far < whole:
                    best = cell_label[c2]
                    continue
                for q in range(start[c2], start[c2 + 1]):
                    if core[q] and _close(xyz, p, q, chord2):
                        best = cell_label[c2]
                        break
            if best != big:
                labels[p] = best
    return labels


@njit(inline="always")
def _lcc(lon, lat, e, n, aF, rho0, lon0):
    """One point in the Lambert conformal conic (EPSG method 9802), metres."""
    phi = np.radians(lat)
    s = e * np.sin(phi)
    t = np.tan(np.pi / 4.0 - phi / 2.0) / ((1.0 - s) / (1.0 + s)) ** (e / 2.0)
    rho = aF * t**n
    theta = n * np.radians(lon - lon0)
    return rho * np.sin(theta), rho0 - rho * np.cos(theta)


@njit(cache=True, parallel=True)
def lcc_xy(lon, lat, a, e, n, aF, rho0, lon0):
    """Lambert conformal conic (two standard parallels, on the ellipsoid) in metres.

    Constants from :func:`geo.projection.lcc_constants` (``a`` is implied by
    ``aF`` and ``rho0``); equal to :func:`geo.projection.to_metric` within a
    millimetre (tests/geo/test_cluster.py).
    """
    size = lon.shape[0]
    x = np.empty(size)
    y = np.empty(size)
    for i in prange(size):
        x[i], y[i] = _lcc(lon[i], lat[i], e, n, aF, rho0, lon0)
    return x, y


@njit(inline="always")
def _put_unit_vector(xyz, i, lon, lat):
    """Row ``i`` of ``xyz``: the point (degrees) on the unit sphere."""
    phi = np.radians(lat)
    lam = np.radians(lon)
    cos_phi = np.cos(phi)
    xyz[i, 0] = cos_phi * np.cos(lam)
    xyz[i, 1] = cos_phi * np.sin(lam)
    xyz[i, 2] = np.sin(phi)


@njit(cache=True, parallel=True)
def unit_vectors(lon, lat):
    """Points on the unit sphere, shape (n, 3), of longitudes and latitudes in degrees."""
    size = lon.shape[0]
    xyz = np.empty((size, 3))
    for i in prange(size):
        _put_unit_vector(xyz, i, lon[i], lat[i])
    return xyz


@njit(cache=True, parallel=True)
def grid_points(lon, lat, codes, a, e, n, aF, rho0, lon0, x0, y0, side, nx, ny):
    """Grid key and unit vector of every point, in one pass.

    The key numbers the point's square cell of ``side`` metres in the conic
    (columns from ``x0``, rows from ``y0``, both with two empty cells of
    margin) within its group: ``(codes * nx + column) * ny + row``.
    """
    size = lon.shape[0]
    key = np.empty(size, dtype=np.int64)
    xyz = np.empty((size, 3))
    for i in prange(size):
        x, y = _lcc(lon[i], lat[i], e, n, aF, rho0, lon0)
        ix = np.int64(np.floor((x - x0) / side)) + 2
        iy = np.int64(np.floor((y - y0) / side)) + 2
        key[i] = (codes[i] * nx + ix) * ny + iy
        _put_unit_vector(xyz, i, lon[i], lat[i])
    return key, xyz


@njit(cache=True)
def cell_runs(key, order):
    """Cells of points sorted by key: ``start`` (runs, with the end) and each cell's key."""
    size = order.shape[0]
    start = np.empty(size + 1, dtype=np.int64)
    cell_key = np.empty(size, dtype=np.int64)
    ncell = 0
    previous = np.int64(-1)
    for i in range(size):
        k = key[order[i]]
        if i == 0 or k != previous:
            start[ncell] = i
            cell_key[ncell] = k
            ncell += 1
            previous = k
    start[ncell] = size
    return start[: ncell + 1].copy(), cell_key[:ncell].copy()


@njit(cache=True, parallel=True)
def scatter(values, order):
    """``out[order] = values``, in parallel."""
    out = np.empty_like(values)
    for i in prange(order.shape[0]):
        out[order[i]] = values[i]
    return out


@njit(cache=True, parallel=True)
def take_rows(values, order):
    """``values[order]`` for a 2-d array, in parallel."""
    out = np.empty((order.shape[0], values.shape[1]), dtype=values.dtype)
    for i in prange(order.shape[0]):
        j = order[i]
        for k in range(values.shape[1]):
            out[i, k] = values[j, k]
    return out


@njit(cache=True)
def first_core_of_roots(root, start, core, order, ncell):
    """For each root cell, the smallest original index among its cluster's core points."""
    first = np.full(ncell, np.iinfo(np.int64).max, dtype=np.int64)
    for c in range(ncell):
        r = root[c]
        if r < 0:
            continue
        for p in range(start[c], start[c + 1]):
            if core[p] and order[p] < first[r]:
                first[r] = order[p]
    return first
