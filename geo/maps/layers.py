"""The map's layers: aimags, firms (packed rows, popups written in the browser),
heat, cluster outlines. Every data-derived string passes through
:func:`geo.safety.escape_text`."""

from __future__ import annotations

import base64
import gzip
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from folium.plugins import FastMarkerCluster, HeatMap
from folium.template import Template

from geo.formats import format_number
from geo.maps.assets import browser_script
from geo.maps.style import HEAT_GRADIENT
from geo.safety import escape_text, shorten
from geo.settings import FIRM_POINTS_LIMIT, FIRM_TEXT_LIMIT

__all__ = [
    "FIRM_POINTS_LIMIT",
    "FIRM_TEXT_LIMIT",
    "aimag_layer",
    "cluster_geojson",
    "cluster_layer",
    "drawable_layers",
    "firm_layer",
    "firm_payload",
    "heat_layer",
    "pack_json",
    "unpack_json",
]


def aimag_layer(
    aimags: gpd.GeoDataFrame,
    labels: Mapping[str, str],
    *,
    lang: str = "mn",
    name: str = "aimags",
    fill: dict[str, str] | None = None,
    extra: Iterable[tuple[str, str]] = (),
    values: Mapping[str, str] | None = None,
    value_label: str = "",
    selected: str | None = None,
    fill_opacity: float = 0.5,
) -> folium.GeoJson:
    """The aimag boundaries as a GeoJson layer with a tooltip.

    Parameters
    ----------
    aimags : geopandas.GeoDataFrame
        As from :func:`geo.admin.load_aimags`.
    labels : dict
        Translated tooltip labels for the keys ``name``, ``region`` and
        ``population``.
    lang : {'mn', 'en'}
        Language of the unit and region names.
    fill : dict, optional
        ISO code -> fill colour (a choropleth); a neutral fill when omitted.
    extra : iterable of (column, label)
        More columns of ``aimags`` to show in the tooltip.
    values : mapping, optional
        ISO code -> formatted indicator value, shown as ``value_label``.
    selected : str, optional
        ISO code of the selected aimag, drawn with a thick outline.
    fill_opacity : float, default 0.5
        Opacity of the fill (lower under a heat map, which must stay readable).

    Returns
    -------
    folium.GeoJson
        Each feature carries ``iso_3166_2`` and escaped tooltip fields.
    """
    name_col = "name_mn" if lang == "mn" else "name_en"
    region_col = "region_mn" if lang == "mn" else "region_en"
    props = {
        "iso_3166_2": aimags["iso_3166_2"].map(escape_text),
        "t_name": aimags[name_col].map(escape_text),
        "t_region": aimags[region_col].map(escape_text),
        "t_population": aimags["population"].map(lambda p: escape_text(format_number(p, 0, lang)))
        + aimags["population_year"].map(lambda y: escape_text(f" ({int(y)})")),
    }
    fields = ["t_name", "t_region", "t_population"]
    aliases = [labels["name"], labels["region"], labels["population"]]
    for column, label in extra:
        props[f"t_{column}"] = aimags[column].map(escape_text)
        fields.append(f"t_{column}")
        aliases.append(label)
    if values is not None:
        props["t_value"] = aimags["iso_3166_2"].map(lambda c: escape_text(values.get(c, "–")))
        fields.append("t_value")
        aliases.append(value_label)
    gdf = gpd.GeoDataFrame(props, geometry=aimags.geometry.values, crs=4326)
    colours = fill or {}

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        code = feature["properties"]["iso_3166_2"]
        chosen = code == selected
        return {
            "color": "#0d47a1" if chosen else "#37474f",
            "weight": 4 if chosen else 1.2,
            "fillColor": colours.get(code, "#cfd8dc"),
            "fillOpacity": fill_opacity,
        }

    layer = folium.GeoJson(
        json.loads(gdf.to_json(drop_id=True)),
        name=escape_text(name),
        style_function=style,
        highlight_function=lambda _f: {"weight": 3, "color": "#0d47a1"},
        tooltip=folium.GeoJsonTooltip(
            fields=fields, aliases=[escape_text(a) for a in aliases], sticky=True, direction="auto"
        ),
    )
    return layer


def drawable_layers(
    layers: Iterable[str], located_firms: int, limit: int = FIRM_POINTS_LIMIT
) -> tuple[tuple[str, ...], bool]:
    """The layers to draw, and whether the firm layer gave way to the heat map.

    Above ``limit`` located firms the firm layer is replaced by the heat map.
    """
    layers = tuple(layers)
    if "firms" not in layers or located_firms <= limit:
        return layers, False
    kept = tuple(x for x in layers if x != "firms")
    return kept + (() if "heat" in kept else ("heat",)), True


def _safe_json(value: Any) -> str:
    """JSON for a <script>: compact, UTF-8 (not \\u-escaped), and unable to close the
    script or break a JavaScript string (``<``, ``>``, ``&``, U+2028/9 escaped)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, code in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, code)
    return text


_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def pack_json(value: Any) -> str:
    """JSON, gzip-compressed and base64-encoded, for a large payload inside a script.

    The result holds only base64's letters, so it cannot end or interpolate
    any JavaScript string; streamlit-folium sends map scripts as JSON with
    ``\\u``-escaped Cyrillic, so packing cuts the demo's firm rows from 5.9 MB
    to 0.5 MB. Deterministic (no time stamp in the gzip header).

    See Also
    --------
    unpack_json : the inverse.
    """
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")


def unpack_json(packed: str) -> Any:
    """The value :func:`pack_json` packed."""
    return json.loads(gzip.decompress(base64.b64decode(packed, validate=True)))


class _FirmPoints(FastMarkerCluster):
    """Clustered circle markers from compact rows; popups assembled in the browser.

    Rows are ``[lat, lon, sector, precision, employees, name, address]`` with
    sector and precision as indexes into ``lookup``; every text is escaped
    with :func:`geo.safety.escape_text` before it is put in a row. The rows
    arrive packed (:func:`pack_json`) and are unpacked in the browser with
    ``DecompressionStream``, so the layer's markers appear a moment after the map.
    The script is ``js/firm_points.js``.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
{{ this.source }}
return camFirmPoints({{ this._parent.get_name() }}, {{ this.lookup_json }},
                     "{{ this.rows_packed }}", {{ this.options|tojavascript }});
})();
{% endmacro %}""")

    def __init__(
        self, rows_packed: str, lookup_json: str, *, name: str, show: bool, options: dict[str, Any]
    ) -> None:
        super().__init__([], name=name, show=show, options=options)  # type: ignore[no-untyped-call]
        if not _BASE64.fullmatch(rows_packed):
            raise ValueError("firm rows must be packed with geo.maps.pack_json")
        self.rows_packed = rows_packed
        self.lookup_json = lookup_json
        self.source = browser_script("firm_points")


def firm_layer(
    firms: pd.DataFrame,
    *,
    colours: Mapping[str, str],
    labels: Mapping[str, str],
    sector_names: Mapping[str, str] | None = None,
    precision_names: Mapping[str, str] | None = None,
    name: str = "firms",
    show: bool = True,
    text_limit: int = FIRM_TEXT_LIMIT,
    payload: tuple[str, str] | None = None,
) -> FastMarkerCluster:
    """Firms as clustered circle markers coloured by sector, with popups.

    One compact JavaScript row per firm (coordinates rounded to 5 decimals,
    about 1 m), never one folium object per firm. Up to ``text_limit`` firms
    the rows carry name and address; above it only sector, size and
    precision, and the popup asks to filter further (the HTML would
    otherwise grow by about 150 bytes per firm).

    Parameters
    ----------
    firms : DataFrame
        With ``lat``, ``lon``, ``sector`` and, if present, ``name``,
        ``employees``, ``address``, ``precision``; rows without coordinates
        are skipped (they stay in the table and in every export).
    colours : mapping
        Sector -> colour (:func:`sector_colours`).
    labels : mapping
        Translated popup labels for ``name``, ``sector``, ``employees``,
        ``address``, ``precision`` and (optionally) ``more``.
    sector_names, precision_names : mapping, optional
        Labels of sector keys and precisions shown in the popup.
    payload : (str, str), optional
        :func:`firm_payload` computed before (and cached); the other data
        arguments are then not read.
    """
    if payload is None:
        payload = firm_payload(
            firms,
            colours=colours,
            labels=labels,
            sector_names=sector_names,
            precision_names=precision_names,
            text_limit=text_limit,
        )
    return _FirmPoints(
        *payload,
        name=escape_text(name),
        show=show,
        options={"chunkedLoading": True, "maxClusterRadius": 50},
    )


def firm_payload(
    firms: pd.DataFrame,
    *,
    colours: Mapping[str, str],
    labels: Mapping[str, str],
    sector_names: Mapping[str, str] | None = None,
    precision_names: Mapping[str, str] | None = None,
    text_limit: int = FIRM_TEXT_LIMIT,
) -> tuple[str, str]:
    """The firm layer's data: rows packed with :func:`pack_json` and the lookup as safe
    JSON. The costly part of :func:`firm_layer`, worth caching per dataset, filter and
    language."""
    ok = firms["lat"].notna() & firms["lon"].notna()
    f = firms[ok]
    sector_names = sector_names or {}
    precision_names = precision_names or {}

    def text(col: str) -> pd.Series:
        return (
            f[col].astype("string").fillna("")
            if col in f.columns
            else pd.Series("", index=f.index, dtype="string")
        )

    sectors = text("sector")
    sector_keys = sorted(set(sectors))
    sector_idx = sectors.map({k: i for i, k in enumerate(sector_keys)}).to_numpy()
    precision = text("precision")
    precision_keys = sorted(set(precision))
    precision_idx = precision.map({k: i for i, k in enumerate(precision_keys)}).to_numpy()
    employees = text("employees").map(escape_text).to_numpy()
    lat = np.round(f["lat"].to_numpy(dtype=float), 5).tolist()
    lon = np.round(f["lon"].to_numpy(dtype=float), 5).tolist()
    with_text = len(f) <= text_limit
    if with_text:
        names = text("name").map(lambda v: escape_text(shorten(v))).to_numpy()
        addresses = text("address").map(lambda v: escape_text(shorten(v))).to_numpy()
        rows = [
            [a, b, int(s), int(p), e, n, d]
            for a, b, s, p, e, n, d in zip(
                lat, lon, sector_idx, precision_idx, employees, names, addresses
            )
        ]
    else:
        rows = [
            [a, b, int(s), int(p), e]
            for a, b, s, p, e in zip(lat, lon, sector_idx, precision_idx, employees)
        ]
    lookup = {
        "colours": [colours.get(k, "#555555") for k in sector_keys],
        "sectors": [escape_text(sector_names.get(k, k)) for k in sector_keys],
        "precisions": [escape_text(precision_names.get(k, k)) for k in precision_keys],
        "labels": {
            k: escape_text(labels.get(k, k))
            for k in ("name", "sector", "employees", "address", "precision", "more")
        },
    }
    return pack_json(rows), _safe_json(lookup)


def heat_layer(
    firms: pd.DataFrame, *, weight: str | None = None, name: str = "heat", show: bool = False
) -> HeatMap:
    """A heat map of firms (or of employees, with ``weight``).

    Firms are summed on a grid of 0.002 degrees (about 200 m), which the eye
    cannot tell from the points and which keeps 200,000 firms to a few
    hundred kilobytes; weights are log-scaled so that one large employer does
    not hide a town.
    """
    ok = firms["lat"].notna() & firms["lon"].notna()
    f = firms[ok]
    if weight and weight in f.columns:
        w = pd.to_numeric(f[weight], errors="coerce").fillna(0).clip(lower=0).to_numpy()
        w = np.log1p(w)
    else:
        w = np.ones(len(f))
    cells = (
        pd.DataFrame(
            {
                "lat": np.round(f["lat"].to_numpy(dtype=float) / 0.002) * 0.002,
                "lon": np.round(f["lon"].to_numpy(dtype=float) / 0.002) * 0.002,
                "w": w,
            }
        )
        .groupby(["lat", "lon"], as_index=False)["w"]
        .sum()
    )
    top = max(float(cells["w"].max()) if len(cells) else 1.0, 1e-9)
    data = [
        [round(a, 3), round(b, 3), round(c / top, 3)]
        for a, b, c in zip(cells["lat"], cells["lon"], cells["w"])
    ]
    return HeatMap(
        data,
        name=escape_text(name),
        show=show,
        radius=14,
        blur=18,
        min_opacity=0.3,
        gradient=HEAT_GRADIENT,
    )


def _p_text(p: float | None) -> str:
    """A p-value as a tooltip shows it."""
    if p is None or p != p:
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def cluster_geojson(
    clusters: gpd.GeoDataFrame,
    *,
    colours: Mapping[str, str],
    sector_names: Mapping[str, str] | None = None,
    stage_names: Mapping[str, str] | None = None,
    by: str = "sector",
    lang: str = "en",
) -> dict[str, Any]:
    """The cluster outlines as a GeoJSON dict with escaped tooltip fields (cacheable);
    numbers written in ``lang``'s way.

    With the columns of :meth:`geo.significance.ClusterSignificance.annotate`
    each outline also carries ``significant`` and its p-value (``t_p``).
    """
    sector_names = sector_names or {}
    stage_names = stage_names or {}
    sectors = (
        clusters[by].astype(str) if by in clusters.columns else pd.Series("", index=clusters.index)
    )
    props = {
        "cluster": clusters["cluster"].astype(int),
        "colour": sectors.map(lambda k: colours.get(k, "#555555")),
        "t_cluster": clusters["cluster"].map(lambda c: escape_text(f"#{int(c)}")),
        "t_sector": sectors.map(lambda k: escape_text(sector_names.get(k, k))),
        "t_firms": clusters["firms"].map(lambda v: escape_text(format_number(v, 0, lang))),
        "t_employees": clusters["employees"].map(lambda v: escape_text(format_number(v, 0, lang))),
        "t_stage": clusters["stage"].map(lambda v: escape_text(stage_names.get(v, v))),
        "t_aimags": clusters["aimags"].map(escape_text),
    }
    if "significant" in clusters.columns:  # Monte Carlo p-values (geo.significance)
        props["significant"] = clusters["significant"].fillna(False).astype(bool)
        props["t_p"] = clusters["p_value"].map(lambda p: escape_text(_p_text(p)))
    gdf = gpd.GeoDataFrame(
        {k: pd.Series(v).astype(object).to_numpy() for k, v in props.items()},
        geometry=clusters.geometry.values,
        crs=4326,
    )
    return json.loads(gdf.to_json(drop_id=True))


def supercluster_layer(
    candidates: gpd.GeoDataFrame,
    *,
    labels: Mapping[str, str],
    sector_names: Mapping[str, str] | None = None,
    stage_names: Mapping[str, str] | None = None,
    name: str = "superclusters",
    lang: str = "en",
) -> folium.GeoJson:
    """Super-cluster candidates (:func:`geo.supercluster.supercluster_candidates`) as one
    dark dashed outline each, with their sectors, firms, employees and stage on hover.

    ``labels`` translates ``sc_sectors``, ``firms``, ``employees`` and ``stage``; every
    text from data is escaped.
    """
    sector_names = sector_names or {}
    stage_names = stage_names or {}
    props = {
        "t_sectors": candidates["sectors"].map(
            lambda s: escape_text("; ".join(sector_names.get(k, k) for k in str(s).split("; ")))
        ),
        "t_firms": candidates["firms"].map(lambda v: escape_text(format_number(v, 0, lang))),
        "t_employees": candidates["employees"].map(
            lambda v: escape_text(format_number(v, 0, lang))
        ),
        "t_stage": candidates["stage"].map(lambda v: escape_text(stage_names.get(v, v))),
    }
    gdf = gpd.GeoDataFrame(
        {k: v.astype(object).to_numpy() for k, v in props.items()},
        geometry=candidates.geometry.values,
        crs=4326,
    )
    aliases = [escape_text(labels.get(k, k)) for k in ("sc_sectors", "firms", "employees", "stage")]
    return folium.GeoJson(
        json.loads(gdf.to_json(drop_id=True)),
        name=escape_text(name),
        className="cam-supercluster",
        style_function=lambda _f: {
            "color": "#222222",
            "weight": 3,
            "dashArray": "10 6",
            "fillColor": "#222222",
            "fillOpacity": 0.04,
        },
        highlight_function=lambda _f: {"weight": 5, "fillOpacity": 0.1},
        tooltip=folium.GeoJsonTooltip(
            fields=list(props), aliases=aliases, sticky=True, direction="auto"
        ),
    )


def cluster_layer(
    clusters: gpd.GeoDataFrame | None,
    *,
    colours: Mapping[str, str],
    labels: Mapping[str, str],
    sector_names: Mapping[str, str] | None = None,
    stage_names: Mapping[str, str] | None = None,
    by: str = "sector",
    name: str = "clusters",
    selected: int | None = None,
    geojson: dict[str, Any] | None = None,
    lang: str = "en",
) -> folium.GeoJson:
    """DBSCAN cluster outlines coloured by sector, with a tooltip.

    Each feature carries ``cluster`` (its id) so that a click can select it.
    ``labels`` translates ``cluster``, ``sector``, ``firms``, ``employees``,
    ``stage`` and ``aimags``. ``geojson`` is a cached :func:`cluster_geojson`.
    """
    if geojson is None:
        geojson = cluster_geojson(
            clusters,
            colours=colours,
            sector_names=sector_names,
            stage_names=stage_names,
            by=by,
            lang=lang,
        )
    fields = ["t_cluster", "t_sector", "t_firms", "t_employees", "t_stage", "t_aimags"]
    aliases = [
        escape_text(labels[k])
        for k in ("cluster", "sector", "firms", "employees", "stage", "aimags")
    ]
    features = geojson.get("features") or []
    tested = bool(features) and "significant" in (features[0].get("properties") or {})
    if tested:
        fields.append("t_p")
        aliases.append(escape_text(labels.get("p_value", "p")))

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        props = feature["properties"]
        chosen = selected is not None and props["cluster"] == selected
        if not tested:
            return {
                "color": props["colour"],
                "weight": 4 if chosen else 2,
                "fillColor": props["colour"],
                "fillOpacity": 0.35 if chosen else 0.18,
                "dashArray": None if chosen else "4 3",
            }
        # significant: a solid outline; could be chance: thin, dashed, nearly unfilled
        strong = bool(props.get("significant"))
        return {
            "color": props["colour"],
            "weight": 4 if chosen else (2.5 if strong else 1.5),
            "fillColor": props["colour"],
            "fillOpacity": 0.35 if chosen else (0.2 if strong else 0.05),
            "dashArray": None if chosen or strong else "5 4",
        }

    return folium.GeoJson(
        geojson,
        name=escape_text(name),
        style_function=style,
        className="cam-cluster",
        highlight_function=lambda _f: {"weight": 4, "fillOpacity": 0.4},
        tooltip=folium.GeoJsonTooltip(
            fields=fields, aliases=aliases, sticky=True, direction="auto"
        ),
    )
