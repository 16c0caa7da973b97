"""Map page (AppTest): the selected cluster's ecosystem in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.institutions import INSTITUTION_TYPES, ecosystem_columns
from ui import state
from ui.i18n import t

MAP = str(Path(__file__).resolve().parents[2] / "pages" / "map.py")


def open_map(lang: str, **query) -> AppTest:
    at = AppTest.from_file(MAP, default_timeout=120)
    at.query_params["lang"] = lang
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def select_largest(at: AppTest, lang: str) -> int:
    first = int(at.dataframe[0].value.iloc[0][t("cluster", lang)])  # sorted by employees
    at.session_state[state.VIEW] = at.session_state[state.VIEW].replace(cluster=first)
    at.run()
    assert not at.exception, at.exception
    return first


@pytest.mark.parametrize("lang", ["en", "mn"])
def test_the_ict_cluster_has_research_nearby_and_names_what_is_missing(lang):
    at = open_map(lang, sec="ict")
    select_largest(at, lang)
    assert any(m.value == f"**{t('eco_title', lang)}**" for m in at.markdown)
    table = next(d.value for d in at.dataframe if t("eco_type", lang) in d.value.columns)
    assert table[t("eco_type", lang)].tolist() == [t(f"inst_{k}", lang) for k in INSTITUTION_TYPES]
    near = table.set_index(t("eco_type", lang))[t("eco_near", lang).format(d="5")]
    assert near[t("inst_research", lang)] > 0 and near[t("inst_education", lang)] > 0
    captions = " ".join(c.value for c in at.caption)
    assert t("eco_source_register", lang) in captions
    missing = t("eco_missing", lang).split("{")[0]
    assert missing in captions or t("eco_complete", lang).split("{")[0] in captions


def test_the_mining_cluster_misses_research():
    at = open_map("en", sec="mining")
    select_largest(at, "en")
    captions = " ".join(c.value for c in at.caption)
    assert "Missing within 5 km:" in captions and "Research and development" in captions


def test_the_export_step_counts_the_registers_institutions():
    """What :func:`ui.ecosystemview.with_ecosystem` joins to the cluster downloads."""
    import geopandas as gpd
    import shapely

    from geo.institutions import ecosystem, institutions_from_register
    from geo.io import load_demo_firms

    firms = load_demo_firms().assign(lat=lambda f: f["true_lat"], lon=lambda f: f["true_lon"])
    box = gpd.GeoDataFrame(
        {"cluster": [0]}, geometry=[shapely.box(106.8, 47.85, 107.0, 47.95)], crs=4326
    )
    counts = ecosystem(box, institutions_from_register(firms))
    assert list(counts.columns) == ecosystem_columns()
    assert counts.iloc[0]["inside_education"] > 0


def test_the_super_cluster_layer_draws_the_candidates():
    at = open_map("en", sec="mining", lay="aimags,clusters,superclusters")
    assert "superclusters" in at.multiselect(key="v_layers").value
    assert at.query_params["lay"] == "aimags,clusters,superclusters"


def test_the_super_cluster_layer_escapes_and_names_its_candidates():
    import geopandas as gpd
    import shapely

    from geo import maps
    from ui.mapview import map_labels

    found = gpd.GeoDataFrame(
        {"sectors": ["mining; <b>x</b>"], "firms": [12], "employees": [340.0], "stage": ["local"]},
        geometry=[shapely.box(104, 43, 104.2, 43.2)],
        crs=4326,
    )
    from geo.admin import load_aimags

    m = maps.atlas_map(
        load_aimags(),
        layers=("superclusters",),
        superclusters=found,
        labels=map_labels("en"),
        link_control=False,
        sector_names={"mining": "Mining"},
    )
    html = m.get_root().render()
    assert "cam-supercluster" in html
    assert "Mining; \\u0026lt;b\\u0026gt;x" in html  # escaped, then JSON-encoded
    assert "<b>x</b>" not in html
