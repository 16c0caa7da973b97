"""The layers the app draws and locates with, made from accepted official boundaries."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.admin import AdminIndex, load_aimags, load_units
from geo.boundaries.reading import equal_area
from geo.boundaries.report import EMBEDDED, BoundarySource

__all__ = [
    "DRAW_TOLERANCE",
    "BoundaryLayers",
    "boundary_layers",
    "embedded_layers",
    "layer_bytes",
    "layer_from_bytes",
]

#: Simplification of the drawn aimag and region outlines (degrees; as the embedded layer).
DRAW_TOLERANCE = 0.004

# -- layers for the app -------------------------------------------------------------------


@dataclass
class BoundaryLayers:
    """What the app draws and locates with, for one set of boundaries.

    Attributes
    ----------
    aimags : geopandas.GeoDataFrame
        The 22 first-level units with the embedded attributes (names, region,
        population, official area), outlines simplified for drawing.
    regions : geopandas.GeoDataFrame
        The five regions, the union of their aimags.
    index : AdminIndex
        Names and points, over the full polygons.
    source : BoundarySource
    """

    aimags: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    index: AdminIndex
    source: BoundarySource


def embedded_layers() -> BoundaryLayers:
    """The embedded, generalised layers."""
    from geo.admin import load_regions

    aimags, units = load_aimags(), load_units()
    return BoundaryLayers(aimags, load_regions(), AdminIndex(aimags, units), EMBEDDED)


def _regions(aimags: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    regions = (
        aimags[["region_en", "region_mn", "population", "area_km2", "geometry"]]
        .dissolve(by=["region_en", "region_mn"], aggfunc="sum")
        .reset_index()
    )
    regions["geometry"] = shapely.make_valid(regions.geometry.values)
    return regions


def boundary_layers(
    layer: gpd.GeoDataFrame,
    level: str,
    source: BoundarySource,
    aimags: gpd.GeoDataFrame | None = None,
    units: pd.DataFrame | None = None,
) -> BoundaryLayers:
    """The aimag and region layers and the index made from an accepted boundary layer.

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        :attr:`BoundaryImport.layer` (or as stored in the workspace).
    level : {"soum", "aimag"}
    source : BoundarySource
    aimags, units : optional
        The embedded aimags (for their attributes) and the gazetteer.
    """
    aimags = load_aimags() if aimags is None else aimags
    units = load_units() if units is None else units
    if level == "soum":
        by_aimag = layer.dissolve(by="aimag_code", as_index=False)[["aimag_code", "geometry"]]
        full = by_aimag.rename(columns={"aimag_code": "iso_3166_2"})
    else:
        full = layer[["iso_3166_2", "geometry"]]
    full = full.set_index("iso_3166_2").reindex(aimags["iso_3166_2"]).reset_index()
    drawn = shapely.coverage_simplify(full.geometry.values, DRAW_TOLERANCE)
    attributes = aimags.drop(columns=aimags.geometry.name).reset_index(drop=True)
    areas = shapely.area(equal_area(full.geometry.values)) / 1e6
    attributes["polygon_area_km2"] = np.round(areas, 1)
    drawn_aimags = gpd.GeoDataFrame(attributes, geometry=list(drawn), crs=4326)
    if level == "soum":
        index = AdminIndex(drawn_aimags, units, layer)
    else:
        exact = gpd.GeoDataFrame(attributes, geometry=list(full.geometry.values), crs=4326)
        index = AdminIndex(drawn_aimags, units, aimag_polygons=exact)
    return BoundaryLayers(drawn_aimags, _regions(drawn_aimags), index, source)


def layer_bytes(layer: gpd.GeoDataFrame) -> bytes:
    """A boundary layer as GeoParquet bytes (how the workspace stores it)."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "layer.parquet"
        layer.to_parquet(target, index=False)
        return target.read_bytes()


def layer_from_bytes(data: bytes) -> gpd.GeoDataFrame:
    """Inverse of :func:`layer_bytes`."""
    import io

    return gpd.read_parquet(io.BytesIO(data))
