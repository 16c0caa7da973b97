"""Real-style points of our own making, to measure the soum and aimag of a point.

No real firm's coordinates are at hand (the demo registry is synthetic and placed at the
gazetteer's centres), so the measures use three kinds of points that real data have, made
here with a seed:

* ``land``: uniform over the country's land (like mining and exploration licences, which
  the issue measured: 3,447 EITI licences);
* ``settlements``: around soum and district centres, at a distance drawn from a gamma
  distribution (shape 2, scale 3 km: most within 10 km), like firms in and near towns;
* ``capital_area``: uniform in the box around Ulaanbaatar (106.0-108.8 E, 47.0-48.6 N),
  where the capital's border with Töv decides where most firms are counted.

They are drawn inside the embedded aimag layer (shippable data); the truth for each point
comes from the official boundaries at run time (never committed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

__all__ = ["KINDS", "real_style_points"]

KINDS = ("land", "settlements", "capital_area")


def _inside(country, lon, lat):
    return shapely.contains_xy(country, lon, lat)


def real_style_points(
    n: int, aimags, units: pd.DataFrame, seed: int = 16, kinds: tuple[str, ...] = KINDS
) -> pd.DataFrame:
    """``n`` points of each kind: columns ``kind``, ``lat``, ``lon``.

    Parameters
    ----------
    n : int
        Points per kind.
    aimags : geopandas.GeoDataFrame
        The embedded aimags (the land the points are drawn on).
    units : pandas.DataFrame
        The gazetteer (its centres).
    seed : int
    """
    rng = np.random.default_rng(seed)
    country = shapely.union_all(aimags.geometry.values)
    shapely.prepare(country)
    frames = []
    for kind in kinds:
        lon_out, lat_out = [], []
        while sum(map(len, lon_out)) < n:
            m = 4 * n
            if kind == "land":  # uniform on the sphere within the bounding box
                lon = rng.uniform(87.7, 119.95, m)
                s0, s1 = np.sin(np.radians([41.55, 52.15]))
                lat = np.degrees(np.arcsin(rng.uniform(s0, s1, m)))
            elif kind == "settlements":
                k = rng.integers(0, len(units), m)
                km = rng.gamma(2.0, 3.0, m)
                angle = rng.uniform(0, 2 * np.pi, m)
                lat0 = units["lat"].to_numpy(float)[k]
                lat = lat0 + km * np.sin(angle) / 111.2
                lon = units["lon"].to_numpy(float)[k] + km * np.cos(angle) / (
                    111.2 * np.cos(np.radians(lat0))
                )
            else:
                lon = rng.uniform(106.0, 108.8, m)
                lat = rng.uniform(47.0, 48.6, m)
            keep = _inside(country, lon, lat)
            lon_out.append(lon[keep])
            lat_out.append(lat[keep])
        frames.append(
            pd.DataFrame(
                {
                    "kind": kind,
                    "lat": np.concatenate(lat_out)[:n],
                    "lon": np.concatenate(lon_out)[:n],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
