"""Names written on the map: aimags, Ulaanbaatar's districts, cluster labels.

Each kind of name is written within a range of zoom levels (:data:`ZOOM_RANGES`),
so that the country view shows the aimags, a closer view of the capital its
districts, and a regional view the clusters. The names never catch the mouse
(an aimag under its name stays clickable), are drawn dark on a white halo (a
contrast above WCAG AA's 4.5:1 over every fill of the map), and, as every text
from data, are escaped by :func:`geo.safety.escape_text`. The browser script
is ``js/labels.js``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from geo.maps.assets import browser_script
from geo.safety import escape_text

__all__ = ["CLUSTER_LABEL_LIMIT", "LABEL_COLOURS", "ZOOM_RANGES", "map_labels", "name_labels"]

#: Zoom levels (lowest, highest) at which each kind of name is written.
ZOOM_RANGES: dict[str, tuple[float, float]] = {
    "aimag": (4.5, 9.0),
    "district": (9.5, 18.0),
    "cluster": (7.0, 18.0),
}
#: Clusters labelled at most (the largest by firms): more would cover the map.
CLUSTER_LABEL_LIMIT = 150


def name_labels(
    aimags: gpd.GeoDataFrame,
    *,
    lang: str = "mn",
    districts: pd.DataFrame | None = None,
    clusters: gpd.GeoDataFrame | None = None,
    sector_names: Mapping[str, str] | None = None,
    group_column: str = "sector",
) -> list[dict[str, Any]]:
    """The names to write on a map, with where and at which zoom levels.

    Parameters
    ----------
    aimags : geopandas.GeoDataFrame
        :func:`geo.admin.load_aimags` (``name_mn``, ``name_en``): a name at
        each aimag's representative point (inside its polygon).
    lang : {"mn", "en"}
    districts : pandas.DataFrame, optional
        Units with ``kind == "district"`` and ``lat``, ``lon``, ``name_mn``,
        ``name_en`` (:func:`geo.admin.load_units`): a name at each centre.
    clusters : geopandas.GeoDataFrame, optional
        :func:`geo.describe.describe_clusters`: the sector and its firms at a
        point inside each outline, for the :data:`CLUSTER_LABEL_LIMIT` largest.
    sector_names : mapping, optional
        Sector key -> name in ``lang``.

    Returns
    -------
    list of dict
        ``lat``, ``lon``, ``text`` (escaped), ``kind``, ``min``, ``max``.

    Examples
    --------
    >>> from geo.admin import load_aimags
    >>> names = name_labels(load_aimags(), lang="en")
    >>> len(names), sorted(n["text"] for n in names)[:2]
    (22, ['Arkhangai', 'Bayan-Ölgii'])
    """
    name_column = "name_mn" if lang == "mn" else "name_en"
    out: list[dict[str, Any]] = []

    def add(lat: float, lon: float, text: object, kind: str) -> None:
        low, high = ZOOM_RANGES[kind]
        out.append(
            {
                "lat": round(float(lat), 5),
                "lon": round(float(lon), 5),
                "text": escape_text(text),
                "kind": kind,
                "min": low,
                "max": high,
            }
        )

    for name, point in zip(aimags[name_column], aimags.geometry.representative_point()):
        add(point.y, point.x, name, "aimag")
    if districts is not None:
        chosen = districts[districts["kind"] == "district"]
        for lat, lon, name in zip(
            chosen["lat"].astype(float), chosen["lon"].astype(float), chosen[name_column]
        ):
            add(lat, lon, name, "district")
    if clusters is not None and len(clusters):
        names = sector_names or {}
        largest = clusters.sort_values("firms", ascending=False).head(CLUSTER_LABEL_LIMIT)
        for group, firms, point in zip(
            largest[group_column], largest["firms"], largest.geometry.representative_point()
        ):
            if point is None or point.is_empty:
                continue
            add(point.y, point.x, f"{names.get(str(group), str(group))} · {int(firms)}", "cluster")
    return out


#: Text colours of the names (aimag, district, cluster), drawn on a white halo. Each meets
#: WCAG AA (4.5:1) against the halo and against every choropleth class (tested).
LABEL_COLOURS = {"aimag": "#1b1b1b", "district": "#14202a", "cluster": "#0b1f33"}


class _Labels(MacroElement):
    """The names on the map and their style (see :func:`map_labels`)."""

    _template = Template("""
{% macro header(this, kwargs) %}
<style>
.cam-label { background: none; border: none; }
.cam-label span { display: inline-block; transform: translate(-50%, -50%); white-space: nowrap;
  font: 600 12px/1.2 system-ui, sans-serif; color: {{ this.colours.aimag }}; pointer-events: none;
  text-shadow: 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff, 1px 1px 0 #fff, -1px -1px 0 #fff; }
.cam-label-district span { font-size: 11px; font-weight: 500; color: {{ this.colours.district }}; }
.cam-label-cluster span { font-size: 11px; font-style: italic; color: {{ this.colours.cluster }}; }
</style>
{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
{{ this.source }}
camLabels({{ this._parent.get_name() }}, {{ this.labels|tojson }});
})();
{% endmacro %}
""")

    def __init__(self, labels: list[dict[str, Any]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Labels"
        self.labels = labels
        self.colours = LABEL_COLOURS
        self.source = browser_script("labels")


def map_labels(labels: list[dict[str, Any]]) -> MacroElement:
    """A map element writing ``labels`` (from :func:`name_labels`); add it to a map."""
    return _Labels(labels)
