"""Reading and writing firm tables.

This first version reads the embedded demo registry; uploads of other
formats come with the Data page.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.admin import DATASETS_DIR

__all__ = ["DEMO_FIRMS", "load_demo_firms"]

#: The synthetic demo registry (see datasets/SOURCES.md).
DEMO_FIRMS = DATASETS_DIR / "firms_demo_synthetic.csv"


def load_demo_firms(path: str | Path | None = None) -> pd.DataFrame:
    """Load the synthetic demo registry with its column types.

    Returns
    -------
    pandas.DataFrame
        One row per synthetic firm; codes stay text (``isic_division`` keeps
        its leading zero), flags are booleans, GPS columns are floats with
        NaN where a firm has no GPS.
    """
    frame = pd.read_csv(
        path or DEMO_FIRMS,
        dtype={"firm_id": str, "isic_division": str, "true_unit_code": str,
               "address": str, "true_gps_status": str},
        keep_default_na=False,
        na_values={"gps_lat": [""], "gps_lon": [""]},
    )
    for column in ("exporter", "foreign_owned"):
        frame[column] = frame[column].astype(str) == "True"
    return frame
