"""A still image of a map view, for slides: PNG drawn with matplotlib, offline.

The image shows what the Map page shows (aimags coloured by the indicator,
cluster outlines and firms coloured by sector), with a title, a legend and
the data's attribution, in the Lambert conformal conic of
:mod:`geo.projection` so that Mongolia keeps its shape. Text is drawn as
text by matplotlib (DejaVu Sans covers Cyrillic); nothing is interpreted as
markup: ``$`` signs are escaped so that no mathtext is parsed.
"""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.maps import NO_DATA_COLOUR, view_colours
from geo.projection import MONGOLIA_LCC, to_metric

__all__ = ["map_png"]


def _plain(text: object) -> str:
    """Text for matplotlib: no mathtext, no control characters."""
    value = "".join(c for c in str(text) if c.isprintable())
    return value.replace("$", r"\$")[:120]


def map_png(aimags: gpd.GeoDataFrame, *, fill: dict[str, str] | None = None,
            bins: list[tuple[float, float, str]] | None = None,
            firms: pd.DataFrame | None = None, clusters: gpd.GeoDataFrame | None = None,
            sector_names: dict[str, str] | None = None, title: str = "",
            indicator_label: str = "", note: str = "", width_px: int = 1920,
            height_px: int = 1080) -> bytes:
    """The view as PNG bytes (16:9 by default, for a slide).

    Parameters
    ----------
    aimags : GeoDataFrame
        :func:`geo.admin.load_aimags`.
    fill, bins : from :func:`geo.maps.classify`
        Colours of the aimags and the legend of the indicator.
    firms : DataFrame, optional
        With ``lat``, ``lon`` and ``sector``; drawn as small dots.
    clusters : GeoDataFrame, optional
        Cluster outlines (:func:`geo.describe.describe_clusters`).
    sector_names : dict, optional
        Sector key -> label for the legend.
    title, indicator_label, note : str
        The title, the indicator's name and a footnote (filter, source).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    names = sector_names or {}
    dpi = 120
    fig, ax = plt.subplots(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    try:
        shapes = aimags.to_crs(MONGOLIA_LCC)
        colours = [(fill or {}).get(c, NO_DATA_COLOUR) for c in aimags["iso_3166_2"]]
        shapes.plot(ax=ax, color=colours, edgecolor="#37474f", linewidth=0.6)
        palette = view_colours(firms, clusters)
        if firms is not None and len(firms):
            f = firms[firms["lat"].notna() & firms["lon"].notna()]
            x, y = to_metric(f["lon"].to_numpy(float), f["lat"].to_numpy(float))
            ax.scatter(x, y, s=2, c=[palette.get(str(s), "#555555") for s in f["sector"]],
                       linewidths=0, alpha=0.7, zorder=3)
        if clusters is not None and len(clusters):
            outlines = clusters.to_crs(MONGOLIA_LCC)
            outlines.plot(ax=ax, facecolor="none", linewidth=1.4, zorder=4,
                          edgecolor=[palette.get(str(s), "#555555") for s in clusters["sector"]])
        ax.set_axis_off()
        ax.set_aspect("equal")
        handles = [Patch(facecolor=c, edgecolor="#777777", label=_plain(names.get(k, k)))
                   for k, c in sorted(palette.items(), key=lambda kv: names.get(kv[0], kv[0]))]
        if handles:
            first = ax.legend(handles=handles, loc="lower left", fontsize=9, frameon=True,
                              title=None)
            ax.add_artist(first)
        if bins:
            ax.legend(handles=[Patch(facecolor=c, edgecolor="#777777",
                                     label=f"{lo:,.2f} – {hi:,.2f}") for lo, hi, c in bins],
                      loc="lower right", fontsize=9, title=_plain(indicator_label),
                      title_fontsize=9)
        if title:
            ax.set_title(_plain(title), fontsize=18, loc="left")
        if note:
            fig.text(0.01, 0.01, _plain(note), fontsize=7, color="#555555")
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()
    finally:
        plt.close(fig)
