"""Folium maps that work offline and never trust text from data.

Every map built here loads its scripts and stylesheets from the app's own
static folder (see :data:`VENDOR_ASSETS`), never from a CDN, and passes every
data-derived string through :func:`geo.safety.escape_text`.

The package is split by job: :mod:`geo.maps.assets` (vendored scripts, offline
HTML), :mod:`geo.maps.base` (the empty map), :mod:`geo.maps.style` (colours and
classes), :mod:`geo.maps.layers` (aimags, firms, heat, clusters),
:mod:`geo.maps.controls` (legend, view link), the browser scripts as JavaScript
files in ``geo/maps/js/`` (:func:`geo.maps.assets.browser_script`), and :func:`atlas_map`,
which puts a view's map together from the data and a :class:`MapOptions`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from geo.formats import class_labels
from geo.maps.assets import (
    DEFAULT_ASSET_BASE,
    VENDOR_ASSETS,
    VENDOR_DIR,
    finish,
    localise_assets,
    standalone_html,
)
from geo.maps.base import MONGOLIA_BOUNDS, MONGOLIA_CENTER, PAN_BOUNDS, base_map
from geo.maps.controls import legend, navigation_control, view_link_control
from geo.maps.labels import map_labels, name_labels
from geo.maps.layers import (
    FIRM_POINTS_LIMIT,
    FIRM_TEXT_LIMIT,
    aimag_layer,
    cluster_geojson,
    cluster_layer,
    drawable_layers,
    firm_layer,
    firm_payload,
    heat_layer,
    pack_json,
    supercluster_layer,
    unpack_json,
)
from geo.maps.style import (
    CHOROPLETH_COLOURS,
    NO_DATA_COLOUR,
    SECTOR_PALETTE,
    classify,
    sector_colours,
    view_colours,
)

__all__ = [
    "CHOROPLETH_COLOURS",
    "DEFAULT_ASSET_BASE",
    "FIRM_POINTS_LIMIT",
    "FIRM_TEXT_LIMIT",
    "MapOptions",
    "MONGOLIA_BOUNDS",
    "MONGOLIA_CENTER",
    "NO_DATA_COLOUR",
    "PAN_BOUNDS",
    "SECTOR_PALETTE",
    "VENDOR_ASSETS",
    "VENDOR_DIR",
    "aimag_layer",
    "atlas_map",
    "base_map",
    "classify",
    "cluster_geojson",
    "cluster_layer",
    "drawable_layers",
    "finish",
    "firm_layer",
    "firm_payload",
    "heat_layer",
    "legend",
    "localise_assets",
    "pack_json",
    "sector_colours",
    "supercluster_layer",
    "standalone_html",
    "unpack_json",
    "view_colours",
    "view_link_control",
]


@functools.lru_cache(maxsize=1)
def _districts() -> pd.DataFrame:
    """Ulaanbaatar's districts from the gazetteer (their names and centres)."""
    from geo.admin import load_units

    units = load_units()
    return units.loc[units["kind"] == "district", ["kind", "lat", "lon", "name_mn", "name_en"]]


@dataclass(frozen=True)
class MapOptions:
    """What the Map page's map shows and how: everything :func:`atlas_map` needs besides
    the data.

    Parameters
    ----------
    labels : mapping
        Translated interface strings: ``name``, ``region``, ``population``,
        ``sector``, ``firms``, ``employees``, ``address``, ``precision``,
        ``cluster``, ``stage``, ``aimags``, ``layer_aimags``, ``layer_firms``,
        ``layer_clusters``, ``layer_heat``, ``legend_sectors``, ``copy_link``,
        ``copy_link_title``.
    lang : {"mn", "en"}
    layers : iterable of str
        Which of ``aimags``, ``firms``, ``clusters``, ``heat`` to draw.
    basemap : {None, "none", "osm"}
    fill, bins : from :func:`classify`
        Choropleth colours and legend of the aimags.
    values : mapping, optional
        Formatted indicator value per aimag for the tooltip.
    indicator_label : str
        The indicator's name in the legend and the tooltip.
    indicator : str, optional
        The indicator's column (how the legend writes its classes, see
        :func:`geo.formats.format_range`).
    legend_note : str, optional
        A line under the legend (for example why the aimags are not coloured).
    sector_names, stage_names, precision_names : mapping, optional
        Key -> translated name.
    selected_aimag, selected_cluster : optional
        Drawn highlighted.
    view : (lat, lon, zoom), optional
        Initial view; otherwise the whole country.
    link_control : bool, default True
        Draw the "copy link" control (and keep the view in the page's URL).
    names : bool, default True
        Write names on the map: aimags and the capital's districts with the aimag layer,
        clusters with theirs, each at its zoom levels (:mod:`geo.maps.labels`).
    opening : str, optional
        Names this opening of the map (default: from ``view``); a map redrawn
        with the same opening returns to where it was moved in this tab.
    asset_base : str
        URL prefix of the vendored scripts and stylesheets.
    """

    labels: Mapping[str, str] = field(default_factory=dict)
    lang: str = "mn"
    layers: Iterable[str] = ("aimags", "firms", "clusters")
    basemap: str | None = None
    # the aimags' colours
    fill: dict[str, str] | None = None
    bins: list[tuple[float, float, str]] | None = None
    values: Mapping[str, str] | None = None
    indicator_label: str = ""
    indicator: str = ""
    legend_note: str = ""
    # names
    sector_names: Mapping[str, str] | None = None
    stage_names: Mapping[str, str] | None = None
    precision_names: Mapping[str, str] | None = None
    # selection and view
    selected_aimag: str | None = None
    selected_cluster: int | None = None
    view: tuple[float, float, int] | None = None
    link_control: bool = True
    names: bool = True
    opening: str | None = None
    asset_base: str = DEFAULT_ASSET_BASE

    def replace(self, **changes: Any) -> MapOptions:
        """A copy with some fields changed."""
        return replace(self, **changes)


def atlas_map(
    aimags: gpd.GeoDataFrame,
    options: MapOptions | None = None,
    *,
    firms: pd.DataFrame | None = None,
    clusters: gpd.GeoDataFrame | None = None,
    firm_json: tuple[str, str] | None = None,
    cluster_json: dict[str, Any] | None = None,
    superclusters: gpd.GeoDataFrame | None = None,
    **fields: Any,
) -> folium.Map:
    """The Map page's map: aimags, firms, clusters, heat, legend, link control.

    Parameters
    ----------
    aimags : GeoDataFrame
        :func:`geo.admin.load_aimags`.
    options : MapOptions, optional
        What to show and how. Its fields may also be given as keywords (``labels=...,
        layers=...``), alone or changing those of ``options``.
    firms : DataFrame, optional
        Filtered firms with ``lat``, ``lon`` and ``sector``.
    clusters : GeoDataFrame, optional
        :func:`geo.describe.describe_clusters`.
    firm_json : (str, str), optional
        A cached :func:`firm_payload` of ``firms`` (made with the same colours).
    cluster_json : dict, optional
        A cached :func:`cluster_geojson` of ``clusters`` (same colours).
    superclusters : GeoDataFrame, optional
        :func:`geo.supercluster.supercluster_candidates`, drawn with the
        ``superclusters`` layer.
    """
    o = (options or MapOptions()).replace(**fields)
    labels = o.labels
    layers = set(o.layers)
    m = base_map(
        tiles="osm" if o.basemap == "osm" else None,
        view=o.view,
        asset_base=o.asset_base,
        lang=o.lang,
    )
    colours = view_colours(firms, clusters)
    names = o.sector_names or {}
    if "aimags" in layers:
        aimag_layer(
            aimags,
            labels,
            lang=o.lang,
            name=labels["layer_aimags"],
            fill=o.fill,
            values=o.values,
            value_label=o.indicator_label,
            selected=o.selected_aimag,
            fill_opacity=0.2 if "heat" in layers else 0.5,
        ).add_to(m)
    if "heat" in layers and firms is not None and len(firms):
        heat_layer(firms, weight="employees", name=labels["layer_heat"], show=True).add_to(m)
    if "clusters" in layers and clusters is not None and len(clusters):
        cluster_layer(
            clusters,
            colours=colours,
            labels=labels,
            sector_names=names,
            stage_names=o.stage_names,
            name=labels["layer_clusters"],
            selected=o.selected_cluster,
            geojson=cluster_json,
            lang=o.lang,
        ).add_to(m)
    if "superclusters" in layers and superclusters is not None and len(superclusters):
        supercluster_layer(
            superclusters,
            labels=labels,
            sector_names=names,
            stage_names=o.stage_names,
            name=labels.get("layer_superclusters", "superclusters"),
            lang=o.lang,
        ).add_to(m)
    if "firms" in layers and firms is not None and len(firms):
        firm_layer(
            firms,
            colours=colours,
            labels=labels,
            sector_names=names,
            precision_names=o.precision_names,
            name=labels["layer_firms"],
            payload=firm_json,
        ).add_to(m)
    sections = []
    if ("firms" in layers or "clusters" in layers) and colours:
        sections.append(
            (
                labels["legend_sectors"],
                [
                    (names.get(k, k), c)
                    for k, c in sorted(colours.items(), key=lambda kv: names.get(kv[0], kv[0]))
                ],
            )
        )
    if "aimags" in layers and o.bins:
        sections.append(
            (
                o.indicator_label,
                list(zip(class_labels(o.bins, o.indicator, o.lang), [c for _, _, c in o.bins])),
            )
        )
    if sections or o.legend_note:
        legend(sections, title=labels.get("legend", "Legend"), note=o.legend_note).add_to(m)
    if o.names:
        districts = _districts() if "aimags" in layers else None
        shown = clusters if "clusters" in layers else None
        map_labels(
            name_labels(
                aimags if "aimags" in layers else aimags.iloc[0:0],
                lang=o.lang,
                districts=districts,
                clusters=shown,
                sector_names=names,
            )
        ).add_to(m)
    navigation_control(
        MONGOLIA_BOUNDS,
        fit=o.view is None,
        country=labels.get("whole_country", "Whole country"),
        fullscreen=labels.get("full_screen", "Full screen"),
    ).add_to(m)
    if o.link_control:
        view_link_control(
            labels["copy_link"],
            labels["copy_link_title"],
            base=o.opening or (",".join(map(str, o.view)) if o.view else "auto"),
        ).add_to(m)
    return finish(m, asset_base=o.asset_base)
