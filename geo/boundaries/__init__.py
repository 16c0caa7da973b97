"""Official boundaries, loaded by the user: read, joined to the gazetteer, checked, reported.

Officers in Mongolia hold the official boundary files (the National Statistics
Office's, published through UN OCHA's Common Operational Datasets, COD-AB).
The product cannot ship them, so a user loads them (the Data page, or
``python -m geo boundaries import FILE``) and from then on every point in
polygon, the soum of a point, the aimag and region layers (their union),
choropleths, statistics and cluster facts use them.

:func:`import_boundaries` reads a shapefile (as a ``.zip``), a GeoPackage or a
GeoJSON file, finds the unit code and name columns (``ADM2_PCODE``,
``ADM1_PCODE``, ``pcode``, ``code``, ``unit_code``; names in Latin or
Cyrillic), joins each feature to the gazetteer by its 4-digit unit code (a
name that disagrees with its code's unit is joined by name within its aimag,
and the report says so) and checks the layer: polygons only, a known CRS that
puts the features in Mongolia, valid geometry, every one of the 339 soums and
districts (or 22 aimags) present once, overlaps and gaps, and the total area
against the official 1,564,116 km2. Any error leaves nothing loaded; the
report (:class:`BoundaryReport`) says what was found, like the import of a
firm register does.

:func:`boundary_layers` turns an accepted layer into what the app draws and
locates with: the aimags as the union of their soums (with the embedded
aimags' attributes), simplified for drawing; the regions as the union of their
aimags; and an :class:`geo.admin.AdminIndex` over the full polygons.
"""

from __future__ import annotations

from geo.boundaries.joining import import_boundaries
from geo.boundaries.layers import (
    BoundaryLayers,
    boundary_layers,
    embedded_layers,
    layer_bytes,
    layer_from_bytes,
)
from geo.boundaries.reading import read_boundary_file
from geo.boundaries.report import (
    EMBEDDED,
    MONGOLIA_AREA_KM2,
    BoundaryError,
    BoundaryImport,
    BoundaryReport,
    BoundarySource,
    Check,
)

__all__ = [
    "EMBEDDED",
    "MONGOLIA_AREA_KM2",
    "BoundaryError",
    "BoundaryImport",
    "BoundaryLayers",
    "BoundaryReport",
    "BoundarySource",
    "Check",
    "boundary_layers",
    "embedded_layers",
    "import_boundaries",
    "layer_bytes",
    "layer_from_bytes",
    "read_boundary_file",
]
