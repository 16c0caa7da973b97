"""Limits and defaults of Cluster Atlas Mongolia, in one place.

Every number that bounds what the tool accepts, or that it uses when a user
says nothing, is defined here and imported by the module that applies it
(which still exports it under the same name). Change a value here, and
the library, the command line and the dashboard follow; the dashboard's
upload limit also lives in ``.streamlit/config.toml`` (``maxUploadSize``, in
MB), which a test keeps equal to :data:`MAX_FILE_BYTES`.

Examples
--------
>>> from geo import settings
>>> settings.MAX_FILE_BYTES // 2**20, settings.MAX_ROWS
(50, 1000000)
"""

from __future__ import annotations

__all__ = [
    "APP_SEED",
    "COMPARE_MAX_UNITS",
    "DEFAULT_EPS_KM",
    "DEFAULT_LANGUAGE",
    "DEFAULT_MIN_SAMPLES",
    "EXCEL_MAX_ROWS",
    "FIRM_POINTS_LIMIT",
    "FIRM_TEXT_LIMIT",
    "KDENSITY_MAX_FIRMS",
    "KDENSITY_MAX_KM",
    "KDENSITY_REPLICATES",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_XLSX_RATIO",
    "MAX_XLSX_UNCOMPRESSED",
    "MIN_SIGNIFICANCE_REPLICATES",
    "PLAY_SECONDS",
    "PREVIEW_ROWS",
    "REVIEW_LIMIT",
    "SNIFF_BYTES",
    "COLOCATION_RADIUS_KM",
    "COLOCATION_REPLICATES",
    "COLOCATION_MAX_PAIRS",
    "ECOSYSTEM_DISTANCE_KM",
    "SUPERCLUSTER_GAP_KM",
    "SUPERCLUSTER_MIN_COLOCATION",
]

# -- input limits (checked before a file is parsed: geo.io.check_limits) -----------------------

#: Largest file read, bytes (the dashboard's upload limit: server.maxUploadSize).
MAX_FILE_BYTES = 50 * 2**20
#: Most data rows a register may have.
MAX_ROWS = 1_000_000
#: Largest uncompressed size of an XLSX file, bytes (a zip bomb is refused).
MAX_XLSX_UNCOMPRESSED = 200 * 2**20
#: Largest ratio of uncompressed to compressed size of any member of an XLSX file.
MAX_XLSX_RATIO = 100
#: Bytes of a text file read to detect its encoding and delimiter.
SNIFF_BYTES = 200_000
#: Rows read for the preview and the header-row detection.
PREVIEW_ROWS = 30
#: Review items (places to fix) shown at once on the Data page.
REVIEW_LIMIT = 30

# -- output limits ------------------------------------------------------------------------------

#: Data rows an Excel sheet holds (1,048,576 rows minus the header).
EXCEL_MAX_ROWS = 1_048_575
#: Above this many located firms a map shows their density, not each firm (browser time:
#: 200,000 firms took 42-45 s to open as markers, 5.5 s as density).
FIRM_POINTS_LIMIT = 60_000
#: Above this many firms the map carries no names and addresses (HTML size).
FIRM_TEXT_LIMIT = 50_000
#: Most aimags (or regions, districts) the Statistics page compares side by side.
COMPARE_MAX_UNITS = 10

# -- defaults of a view and of the tests of significance ----------------------------------------

#: Language of a session that asks for none.
DEFAULT_LANGUAGE = "mn"
#: DBSCAN's neighbourhood radius, km, and its minimum number of firms, on a new map.
DEFAULT_EPS_KM = 2.0
DEFAULT_MIN_SAMPLES = 10
#: Seed of the dashboard's p-values and K-density draws (said next to every result).
APP_SEED = 17
#: Fewest random relabellings behind a cluster's p-value (more when more sectors are compared).
MIN_SIGNIFICANCE_REPLICATES = 499
#: Random draws of the Statistics page's K-densities.
KDENSITY_REPLICATES = 99
#: The K-densities' largest distance, km.
KDENSITY_MAX_KM = 20.0
#: Firms of a sector the dashboard's K-density uses at most (a random sample beyond: the work
#: grows with the square of a sector's size; bench/bench_significance.py).
KDENSITY_MAX_FIRMS = 2000

# -- related sectors, institutions and super-clusters (geo.colocation, geo.institutions,
#    geo.supercluster) -------------------------------------------------------------------------

#: Radius of the co-location neighbourhood, km.
COLOCATION_RADIUS_KM = 1.0
#: Random relabellings behind a co-location quotient's p-value.
COLOCATION_REPLICATES = 99
#: Most neighbour pairs the co-location quotients hold in memory (about 30 bytes each, plus 12
#: per pair during a replicate); a larger radius over a large register is refused with a
#: message: choose a smaller radius. The demo's 6,684 firms located to a point have 2.3 million
#: pairs within 5 km; 200,000 firms of the demo's make-up have 83 million within 0.5 km.
COLOCATION_MAX_PAIRS = 20_000_000
#: Distance around a cluster's outline within which its institutions are counted, km.
ECOSYSTEM_DISTANCE_KM = 5.0
#: Largest gap between the outlines of two clusters of related sectors in one super-cluster, km.
SUPERCLUSTER_GAP_KM = 2.0
#: Smallest co-location quotient of a related pair of sectors that links their clusters.
SUPERCLUSTER_MIN_COLOCATION = 1.5

# -- clusters in time ----------------------------------------------------------------------------

#: Seconds at least between two years when the Map plays the years (each year is clustered
#: and drawn afresh, so a step can take longer).
PLAY_SECONDS = 1.5
