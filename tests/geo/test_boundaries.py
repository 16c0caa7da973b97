"""Official boundaries loaded by the user: the real file, and broken ones built from it.

The real file (NSO / UN OCHA COD-AB, 339 soums and districts) is read at run time from
../shared/reference/boundaries (see tests/conftest.py); nothing from it is committed. The
broken files are made here from it (missing units, an invalid ring, a wrong CRS, points) or
from synthetic shapes.
"""

from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.__main__ import main
from geo.boundaries import (
    EMBEDDED,
    boundary_layers,
    embedded_layers,
    import_boundaries,
    layer_bytes,
    layer_from_bytes,
)
from geo.export import metadata
from geo.geocode import Geocoder
from geo.workspace import Workspace, WorkspaceError


@pytest.fixture(scope="module")
def official(official_file):
    return gpd.read_file(official_file)


def write(gdf: gpd.GeoDataFrame, path, driver=None):
    gdf.to_file(path, driver=driver or ("GPKG" if str(path).endswith(".gpkg") else "GeoJSON"))
    return path


def zipped_shapefile(gdf: gpd.GeoDataFrame, folder, name="units", prj=True):
    shp = folder / f"{name}.shp"
    gdf.to_file(shp, driver="ESRI Shapefile", encoding="utf-8")
    archive = folder / f"{name}.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in folder.glob(f"{name}.*"):
            if part.suffix != ".zip" and (prj or part.suffix != ".prj"):
                z.write(part, part.name)
    return archive


def keys(report):
    return {(c.severity, c.key) for c in report.checks}


# -- the real file ---------------------------------------------------------------------------


def test_the_real_file_is_accepted_and_joined(official_import):
    imp = official_import
    assert imp.ok, imp.report.text()
    assert imp.report.level == "soum" and imp.report.code_column == "unit_code"
    assert len(imp.layer) == 339 and imp.layer["unit_code"].is_unique
    # the README's disagreements: 6425/6449 carry each other's names, 8340 is Tsengel (8337)
    by_name = next(c for c in imp.report.checks if c.key == "joined_by_name")
    assert len(by_name.units) == 3
    assert any("8340" in u and "8337" in u for u in by_name.units)
    named = imp.layer.set_index("source_code")
    assert named.at["6425", "name_mn"] == "Богд" and named.at["6449", "name_mn"] == "Өлзийт"
    assert ("ok", "coverage") in keys(imp.report) and ("ok", "overlaps") in keys(imp.report)
    assert abs(imp.report.area_km2 / 1_564_116 - 1) < 0.01


def test_the_report_reads_like_the_import(official_import):
    text = official_import.report.text()
    assert "339 features" in text and "accepted" in text and "1,564,116" in text
    again = type(official_import.report).from_dict(
        json.loads(json.dumps(official_import.report.as_dict()))
    )
    assert again.text() == text


def test_a_shapefile_zip_with_cod_ab_columns_is_read(official, tmp_path):
    cod = official.assign(
        ADM2_PCODE="MN" + official["unit_code"],
        ADM2_EN=official["name_en"],
        ADM1_EN=official["aimag_en"],
    )[["ADM2_PCODE", "ADM2_EN", "ADM1_EN", "geometry"]]
    imp = import_boundaries(zipped_shapefile(cod, tmp_path))
    assert imp.ok, imp.report.text()
    assert imp.report.code_column == "ADM2_PCODE" and imp.report.name_column == "ADM2_EN"


def test_a_projected_file_is_reprojected(official, tmp_path):
    imp = import_boundaries(write(official.to_crs(32648), tmp_path / "utm.gpkg"))
    assert imp.ok, imp.report.text()
    assert any(c.key == "crs" and "reprojected" in c.message for c in imp.report.checks)


def test_an_aimag_level_file(official, tmp_path):
    aimags = official.dissolve(by="aimag_nso_code", as_index=False)[
        ["aimag_nso_code", "aimag_en", "geometry"]
    ].rename(columns={"aimag_nso_code": "ADM1_PCODE", "aimag_en": "ADM1_EN"})
    imp = import_boundaries(write(aimags, tmp_path / "adm1.geojson"))
    assert imp.ok, imp.report.text()
    assert imp.report.level == "aimag" and len(imp.layer) == 22
    layers = boundary_layers(imp.layer, "aimag", imp.source)
    where = layers.index.locate([47.92, 43.5], [106.92, 104.4])
    assert where["aimag_code"].tolist() == ["MN-1", "MN-053"]
    # soums are still estimated without soum polygons, and say so
    assert set(where["soum_source"]) == {"nearest centre"}


# -- broken files: a clear report, nothing loaded ----------------------------------------------


def test_missing_units_are_refused(official, tmp_path):
    imp = import_boundaries(write(official.iloc[5:], tmp_path / "missing.gpkg"))
    assert not imp.ok and imp.layer is None
    coverage = next(c for c in imp.report.errors if c.key == "coverage")
    assert coverage.figures["n"] == 5 and len(coverage.units) == 5
    assert "refused" in imp.report.text()


def test_an_invalid_ring_is_refused(official, tmp_path):
    broken = official.copy()
    x0, y0, x1, y1 = broken.geometry.iloc[10].bounds
    broken.loc[broken.index[10], "geometry"] = shapely.Polygon(
        [(x0, y0), (x1, y1), (x1, y0), (x0, y1), (x0, y0)]
    )  # a bow tie
    imp = import_boundaries(write(broken, tmp_path / "bowtie.gpkg"))
    assert not imp.ok
    error = next(c for c in imp.report.errors if c.key == "valid")
    assert "Self-intersection" in error.message and error.units == ("11",)


def test_a_wrong_crs_is_refused(official, tmp_path):
    lying = official.to_crs(3857).set_crs(4326, allow_override=True)  # metres called degrees
    imp = import_boundaries(write(lying, tmp_path / "wrong_crs.gpkg"))
    assert not imp.ok
    assert next(c for c in imp.report.errors if c.key == "crs").message.startswith(
        "the features lie at longitude"
    )


def test_swapped_coordinates_are_named(official, tmp_path):
    swapped = official.set_geometry(
        shapely.transform(official.geometry.values, lambda xy: xy[:, ::-1])
    )
    imp = import_boundaries(write(swapped, tmp_path / "swapped.geojson"))
    assert not imp.ok and "swapped" in imp.report.errors[0].message


def test_a_layer_of_points_is_refused(official, tmp_path):
    points = official.set_geometry(official.geometry.representative_point())
    imp = import_boundaries(write(points, tmp_path / "points.gpkg"))
    assert not imp.ok
    assert imp.report.errors[0].key == "not_polygons" and "points" in imp.report.errors[0].message


def test_overlaps_are_refused(official, tmp_path):
    grown = official.copy()
    grown.loc[grown.index[0], "geometry"] = grown.geometry.iloc[0].buffer(0.2)
    imp = import_boundaries(write(grown, tmp_path / "overlap.gpkg"))
    assert not imp.ok
    assert any(c.key == "overlaps" and c.severity == "error" for c in imp.report.checks)


def test_a_shapefile_without_prj_is_read_as_lon_lat(official, tmp_path):
    imp = import_boundaries(zipped_shapefile(official, tmp_path, prj=False))
    assert imp.ok, imp.report.text()
    assert ("warning", "crs") in keys(imp.report)


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"not a zip", "not a readable zip"),
        (None, "holds no shapefile"),
    ],
)
def test_unreadable_archives(tmp_path, content, expected):
    path = tmp_path / "boundaries.zip"
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("readme.txt", "nothing here")
    else:
        path.write_bytes(content)
    imp = import_boundaries(path)
    assert not imp.ok and expected in imp.report.errors[0].message


def test_synthetic_squares_match_no_unit(tmp_path):
    squares = gpd.GeoDataFrame(
        {"code": ["9901", "9902"]},
        geometry=[shapely.box(100, 45, 101, 46), shapely.box(101, 45, 102, 46)],
        crs=4326,
    )
    imp = import_boundaries(write(squares, tmp_path / "squares.geojson"), level="soum")
    assert not imp.ok
    assert {c.key for c in imp.report.errors} >= {"unjoined", "coverage"}


def test_a_refused_import_is_never_stored(official, tmp_path, official_import):
    store = Workspace(tmp_path / "ws.sqlite")
    bad = import_boundaries(write(official.iloc[3:], tmp_path / "missing.gpkg"))
    with pytest.raises(WorkspaceError):
        store.save_boundaries(bad, saved_by="Bold")
    assert store.boundaries() is None and store.boundaries_version() == 0
    assert store.save_boundaries(official_import, saved_by="Bold") == 1
    source, layer, report = store.boundaries()
    assert source.official and source.imported_by == "Bold" and len(layer) == 339
    assert report.ok
    # a refused replacement leaves the stored ones in place
    with pytest.raises(WorkspaceError):
        store.save_boundaries(bad, saved_by="Dorj")
    assert store.boundaries_version() == 1 and len(store.boundaries()[1]) == 339
    assert store.clear_boundaries(saved_by="Bold") == 2 and store.boundaries() is None


def test_layer_bytes_round_trip(official_import):
    back = layer_from_bytes(layer_bytes(official_import.layer))
    assert back["unit_code"].tolist() == official_import.layer["unit_code"].tolist()
    assert back.geometry.geom_equals(official_import.layer.geometry).all()


# -- using them ----------------------------------------------------------------------------------


def test_layers_are_unions_with_the_embedded_attributes(official_layers, aimags):
    drawn = official_layers.aimags
    assert drawn["iso_3166_2"].tolist() == aimags["iso_3166_2"].tolist()
    assert drawn["population"].tolist() == aimags["population"].tolist()
    assert len(official_layers.regions) == 5
    assert shapely.get_num_coordinates(drawn.geometry.values).sum() < 20_000  # drawable
    ub = drawn.set_index("iso_3166_2").at["MN-1", "polygon_area_km2"]
    assert 4_000 < ub < 5_000


def test_points_get_the_official_soum(official_layers, official):
    rng = np.random.default_rng(16)
    rows = rng.choice(len(official), 200)
    points = official.geometry.iloc[rows].representative_point()
    where = official_layers.index.locate(points.y.to_numpy(), points.x.to_numpy())
    assert (where["soum_source"] == "official polygon").all()
    swap = {"6425": "6449", "6449": "6425", "8340": "8337"}
    truth = official["unit_code"].iloc[rows].map(lambda c: swap.get(c, c)).to_numpy()
    assert (where["unit_code"].to_numpy() == truth).all()


def test_geocoder_with_official_boundaries(official_layers):
    frame = pd.DataFrame(
        {
            "address": ["", "Өмнөговь аймаг, Ханбогд сум"],
            "lat": [47.92, None],
            "lon": [106.92, None],
        }
    )
    out = Geocoder(official_layers.index).geocode(frame)
    assert out.loc[0, "soum_source"] == "official polygon" and out.loc[0, "aimag_code"] == "MN-1"
    assert out.loc[1, "soum_source"] == "address"


def test_boundary_source_in_metadata(official_import):
    official = metadata(dataset="demo", source="x", rows=1, boundaries=official_import.source)[
        "boundaries"
    ]
    assert official["kind"] == "official" and "NSO COD-AB" in official["description"]
    generalised = metadata(dataset="demo", source="x", rows=1)["boundaries"]
    assert generalised["kind"] == "generalised" and generalised == EMBEDDED.as_metadata()


def test_embedded_layers_say_generalised():
    layers = embedded_layers()
    assert layers.source is EMBEDDED and not layers.source.official
    assert len(layers.aimags) == 22


# -- command line --------------------------------------------------------------------------------


def test_command_line_import_show_remove(official_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CAM_DATA_DIR", str(tmp_path))
    assert main(["boundaries", "import", str(official_file), "--name", "NSO 2024"]) == 0
    out = capsys.readouterr().out
    assert "accepted" in out and "official boundaries: NSO 2024" in out
    assert main(["boundaries", "show"]) == 0
    assert "NSO 2024" in capsys.readouterr().out
    assert main(["boundaries", "remove"]) == 0
    main(["boundaries", "show"])
    assert "generalised" in capsys.readouterr().out


def test_command_line_refuses_a_broken_file(official, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CAM_DATA_DIR", str(tmp_path))
    path = write(official.iloc[10:], tmp_path / "missing.gpkg")
    assert main(["boundaries", "import", str(path)]) == 2
    assert "refused" in capsys.readouterr().out
    assert Workspace.default().boundaries() is None


def test_command_line_geocode_with_boundaries(official_file, tmp_path, capsys):
    src = tmp_path / "firms.csv"
    pd.DataFrame(
        {"address": ["", "Хэрлэн сум"], "lat": [47.92, None], "lon": [106.92, None]}
    ).to_csv(src, index=False)
    dst = tmp_path / "out.csv"
    assert main(["geocode", str(src), "-o", str(dst), "--boundaries", str(official_file)]) == 0
    assert "official boundaries" in capsys.readouterr().err
    back = pd.read_csv(dst, dtype=str, keep_default_na=False)
    assert back.loc[0, "soum_source"] == "official polygon"


def test_a_saved_dataset_is_relocated_with_official_boundaries(official_layers):
    saved = pd.DataFrame(
        {
            "name": ["a", "b"],
            "lat": [47.92, 47.0],
            "lon": [106.92, 105.0],
            "precision": ["point", "soum"],
            "aimag_code": ["MN-047", "MN-047"],
            "aimag": ["Төв", "Төв"],
            "soum": ["x", "Зуунмод"],
        }
    )
    out = Geocoder(official_layers.index).relocate(saved)
    assert out.loc[0, "aimag_code"] == "MN-1" and out.loc[0, "soum_source"] == "official polygon"
    assert out.loc[1, "soum"] == "Зуунмод"  # not a point: as saved
    assert saved.loc[0, "aimag_code"] == "MN-047"  # the input is untouched
