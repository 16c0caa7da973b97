"""Colours of a map: sector palette, choropleth classes, a view's sector colours."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import pandas as pd

__all__ = [
    "CHART_PAIR",
    "CHART_SIGNIFICANCE",
    "CHOROPLETH_COLOURS",
    "HEAT_GRADIENT",
    "NO_DATA_COLOUR",
    "SECTOR_PALETTE",
    "classify",
    "sector_colours",
    "view_colours",
]

#: Colours for sectors, chosen from Paul Tol's schemes (bright, muted, light, dark) and black so
#: that any two stay apart for everyone: the smallest CIE76 difference of a pair is 12.1 with normal
#: vision and under simulated protanopia, deuteranopia and tritanopia (16.8 among the first twelve;
#: checked in the tests with :mod:`geo.maps.accessibility`). The order is the greedy one: each colour
#: is the farthest from those before it, so a view with few sectors gets the most distinct ones.
SECTOR_PALETTE = (
    "#EE8866",
    "#332288",
    "#99DDFF",
    "#663333",
    "#4477AA",
    "#BBCC33",
    "#CC3311",
    "#000000",
    "#FFAABB",
    "#77AADD",
    "#BB5566",
    "#EEDD88",
    "#882255",
    "#44BB99",
    "#666633",
    "#999933",
    "#009988",
    "#004488",
)

#: Choropleth colours (the lighter five of ColorBrewer YlGnBu: sector outlines and
#: markers stay visible on the darkest class) and the colour of "no data".
CHOROPLETH_COLOURS = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0")
NO_DATA_COLOUR = "#d0d0d0"

#: The heat map's gradient (stop -> colour): ColorBrewer YlOrRd, light to dark, so that more
#: firms read as darker under every colour-vision deficiency (a rainbow does not).
HEAT_GRADIENT = {0.4: "#fed976", 0.6: "#feb24c", 0.75: "#fd8d3c", 0.9: "#f03b20", 1.0: "#bd0026"}

#: Two-colour contrasts of the charts: highlighted against the rest (Okabe-Ito vermilion and
#: blue), and the significance chart's three marks (observed, replicates, their band).
CHART_PAIR = ("#d55e00", "#0072b2")
CHART_SIGNIFICANCE = ("#d55e00", "#9ecae1", "#3182bd")


def sector_colours(sectors: Iterable[str]) -> dict[str, str]:
    """A stable colour per sector: sorted sectors take :data:`SECTOR_PALETTE` in turn."""
    ordered = sorted({str(x) for x in sectors})
    return {name: SECTOR_PALETTE[i % len(SECTOR_PALETTE)] for i, name in enumerate(ordered)}


def view_colours(
    firms: pd.DataFrame | None, clusters: gpd.GeoDataFrame | None = None
) -> dict[str, str]:
    """The sector colours of a view: sectors of its located firms and of its clusters.

    Every drawing of one view (map layers cached apart, the PNG) takes its
    colours from here, so that a sector has one colour everywhere.
    """
    present: set[str] = set()
    if firms is not None and "sector" in firms.columns:
        located = firms[firms["lat"].notna() & firms["lon"].notna()]
        present |= set(located["sector"].dropna().astype(str))
    if clusters is not None and len(clusters) and "sector" in clusters.columns:
        present |= set(clusters["sector"].astype(str))
    return sector_colours(present)


def classify(
    values: pd.Series, scheme: str = "quantiles", k: int = 5
) -> tuple[dict[str, str], list[tuple[float, float, str]]]:
    """Colour classes of an indicator per unit, with mapclassify.

    Parameters
    ----------
    values : Series
        Indicator by unit code; missing values get :data:`NO_DATA_COLOUR`.
    scheme : {"quantiles", "natural_breaks", "equal_interval"}
        mapclassify's ``Quantiles``, ``FisherJenks`` or ``EqualInterval``.
    k : int, default 5
        Number of classes (fewer when there are fewer distinct values).

    Returns
    -------
    fill : dict
        Unit code -> colour.
    bins : list of (low, high, colour)
        The legend, lowest class first.
    """
    import mapclassify

    values = pd.to_numeric(values, errors="coerce")
    known = values.dropna()
    fill = {str(code): NO_DATA_COLOUR for code in values.index}
    if known.empty:
        return fill, []
    k = max(1, min(k, known.nunique()))
    if k == 1:
        colour = CHOROPLETH_COLOURS[-1]
        fill.update({str(code): colour for code in known.index})
        return fill, [(float(known.min()), float(known.max()), colour)]
    classifiers = {
        "quantiles": mapclassify.Quantiles,
        "natural_breaks": mapclassify.FisherJenks,
        "equal_interval": mapclassify.EqualInterval,
    }
    if scheme not in classifiers:
        raise ValueError(f"scheme must be one of {list(classifiers)}, got {scheme!r}")
    data = known.to_numpy(dtype=float)
    result = classifiers[scheme](data, k=k)
    # many equal values (zeros, say) give quantile classes with one bound twice:
    # keep each upper bound once, so that no class is empty or written "0 - 0" twice
    uppers = sorted(set(float(b) for b in result.bins))
    if len(uppers) < len(result.bins):
        result = mapclassify.UserDefined(data, bins=uppers)
    n_classes = len(result.bins)
    palette = [
        CHOROPLETH_COLOURS[int(round(i * (len(CHOROPLETH_COLOURS) - 1) / max(n_classes - 1, 1)))]
        for i in range(n_classes)
    ]
    for code, cls in zip(known.index, result.yb):
        fill[str(code)] = palette[int(cls)]
    lows = [float(known.min())] + [float(b) for b in result.bins[:-1]]
    bins = [(low, float(high), palette[i]) for i, (low, high) in enumerate(zip(lows, result.bins))]
    return fill, bins
