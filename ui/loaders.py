"""Cached loaders of the embedded data, shared by every session.

The objects cached here are read-only reference data, identical for every
user; per-user data never goes through these functions.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import admin, io


@st.cache_data(show_spinner=False)
def aimags() -> gpd.GeoDataFrame:
    """The 22 first-level units (see :func:`geo.admin.load_aimags`)."""
    return admin.load_aimags()


@st.cache_data(show_spinner=False)
def regions() -> gpd.GeoDataFrame:
    """The five regions (see :func:`geo.admin.load_regions`)."""
    return admin.load_regions()


@st.cache_data(show_spinner=False)
def units() -> pd.DataFrame:
    """The soum and district gazetteer (see :func:`geo.admin.load_units`)."""
    return admin.load_units()


@st.cache_data(show_spinner=False)
def demo_firms() -> pd.DataFrame:
    """The synthetic demo registry (see :func:`geo.io.load_demo_firms`)."""
    return io.load_demo_firms()


@st.cache_resource(show_spinner=False)
def admin_index() -> admin.AdminIndex:
    """The name and point index over the embedded geography (read-only)."""
    return admin.AdminIndex(aimags(), units())
