"""Shared fixtures: the embedded geography, loaded once per test session."""

from __future__ import annotations

import pytest

from geo import admin


@pytest.fixture(scope="session")
def aimags():
    return admin.load_aimags()


@pytest.fixture(scope="session")
def units():
    return admin.load_units()


@pytest.fixture(scope="session")
def index(aimags, units):
    return admin.AdminIndex(aimags, units)


# -- official boundaries (issue 16): read at run time from ../shared, never committed ----------

import os  # noqa: E402
from pathlib import Path  # noqa: E402

#: The official soum boundaries (NSO / UN OCHA COD-AB) outside the repository; CI has ../shared.
OFFICIAL_BOUNDARIES = Path(
    os.environ.get(
        "CAM_OFFICIAL_BOUNDARIES",
        Path(__file__).resolve().parents[1].parent
        / "shared"
        / "reference"
        / "boundaries"
        / "mn_adm2_codab.gpkg",
    )
)


@pytest.fixture(scope="session")
def official_file():
    """The official boundary file; the test is skipped, saying why, when it is absent."""
    if not OFFICIAL_BOUNDARIES.exists():
        pytest.skip(
            f"official boundaries not found at {OFFICIAL_BOUNDARIES} (they are never "
            "committed; set CAM_OFFICIAL_BOUNDARIES or provide ../shared/reference)"
        )
    return OFFICIAL_BOUNDARIES


@pytest.fixture(scope="session")
def official_import(official_file):
    """The official file, imported and checked once per session."""
    from geo.boundaries import import_boundaries

    return import_boundaries(official_file, name="NSO COD-AB")


@pytest.fixture(scope="session")
def official_layers(official_import):
    """The aimag and region layers and the index made from the official file."""
    from geo.boundaries import boundary_layers

    return boundary_layers(official_import.layer, "soum", official_import.source)
