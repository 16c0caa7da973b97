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

from geo.formats import class_labels
from geo.maps import NO_DATA_COLOUR, view_colours
from geo.projection import MONGOLIA_LCC, to_metric

__all__ = ["map_png"]


def _plain(text: object, limit: int = 120) -> str:
    """Text for matplotlib: no mathtext, no control characters, at most ``limit`` long."""
    value = "".join(c for c in str(text) if c.isprintable())
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return value.replace("$", r"\$")


def map_png(
    aimags: gpd.GeoDataFrame,
    *,
    fill: dict[str, str] | None = None,
    bins: list[tuple[float, float, str]] | None = None,
    firms: pd.DataFrame | None = None,
    clusters: gpd.GeoDataFrame | None = None,
    sector_names: dict[str, str] | None = None,
    title: str = "",
    indicator_label: str = "",
    note: str = "",
    width_px: int = 1920,
    height_px: int = 1080,
    indicator: str = "",
    lang: str = "en",
) -> bytes:
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
        The title (with the view's filter), the indicator's name and a footnote
        (source).
    indicator, lang : str
        How the legend writes its classes (:func:`geo.formats.format_range`).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import patheffects
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
            # dots large enough to see on a projected slide, with a white rim
            ax.scatter(
                x,
                y,
                s=14,
                c=[palette.get(str(s), "#555555") for s in f["sector"]],
                edgecolors="white",
                linewidths=0.4,
                alpha=0.9,
                zorder=3,
            )
        if clusters is not None and len(clusters):
            outlines = clusters.to_crs(MONGOLIA_LCC)
            # with p-values (geo.significance) those that could be chance are dashed
            dashed = (
                (~clusters["significant"].fillna(False).astype(bool)).to_numpy()
                if "significant" in clusters.columns
                else np.zeros(len(clusters), bool)
            )
            drawn = outlines.plot(
                ax=ax,
                facecolor="none",
                linewidth=2.2,
                zorder=4,
                edgecolor=[palette.get(str(s), "#555555") for s in clusters["sector"]],
                linestyle=["--" if d else "-" for d in dashed],
            )
            halo = [patheffects.withStroke(linewidth=4, foreground="white")]
            for collection in drawn.collections[-1:]:
                collection.set_path_effects(halo)
        ax.set_axis_off()
        ax.set_aspect("equal")
        handles = [
            Patch(facecolor=c, edgecolor="#777777", label=_plain(names.get(k, k)))
            for k, c in sorted(palette.items(), key=lambda kv: names.get(kv[0], kv[0]))
        ]
        if handles:
            first = ax.legend(
                handles=handles, loc="lower left", fontsize=9, frameon=True, title=None
            )
            ax.add_artist(first)
        if bins:
            ax.legend(
                handles=[
                    Patch(facecolor=c, edgecolor="#777777", label=label)
                    for (_, _, c), label in zip(bins, class_labels(bins, indicator, lang))
                ],
                loc="lower right",
                fontsize=9,
                title=_plain(indicator_label),
                title_fontsize=9,
            )
        if title:
            ax.set_title(_plain(title, 160), fontsize=18 if len(title) < 90 else 14, loc="left")
        if note:
            fig.text(0.01, 0.01, _plain(note), fontsize=7, color="#555555")
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()
    finally:
        plt.close(fig)
