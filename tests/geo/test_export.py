"""geo.export: every format reads back, carries its metadata, and runs no formula."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely

from geo import export
from tests.payloads import PAYLOADS


@pytest.fixture()
def firms():
    n = len(PAYLOADS)
    return pd.DataFrame(
        {
            "name": PAYLOADS,
            "sector": ["ict"] * n,
            "employees": np.arange(n) - 3,
            "share": np.linspace(-1, 1, n),
            "lat": [47.9] * (n - 1) + [np.nan],
            "lon": [106.9] * (n - 1) + [np.nan],
            "exporter": [True, False] * (n // 2) + [True] * (n % 2),
        }
    )


@pytest.fixture()
def meta():
    return export.metadata(
        dataset="demo",
        source="SYNTHETIC",
        rows=3,
        filters={"sectors": ["ict"]},
        parameters={"eps_km": 2.0},
        what="firms",
    )


def test_csv_has_bom_neutralised_formulas_and_numbers_intact(firms):
    data = export.csv_bytes(firms)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert len(back) == len(firms)
    for text in back["name"]:
        assert not text.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert back["name"][PAYLOADS.index("-2+3")] == "'-2+3"
    assert back["employees"].tolist() == firms["employees"].tolist()  # -3 stays a number


def test_xlsx_has_no_formula_cells_and_a_metadata_sheet(firms, meta):
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes({"firms": firms}, meta)))
    assert book.sheetnames == ["firms", "metadata"]
    formulas = [
        c.coordinate for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]
    assert formulas == []
    sheet = book["firms"]
    assert sheet.max_row == len(firms) + 1
    values = {r[0].value: r[1].value for r in book["metadata"].iter_rows(min_row=2)}
    assert values["source"] == "SYNTHETIC" and json.loads(values["filters"]) == {"sectors": ["ict"]}
    back = pd.read_excel(io.BytesIO(export.xlsx_bytes({"firms": firms}, meta)))
    assert back["employees"].tolist() == firms["employees"].tolist()


def test_xlsx_refuses_more_rows_than_excel_holds(meta, monkeypatch):
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 5)
    with pytest.raises(ValueError, match="Export CSV instead"):
        export.xlsx_bytes({"firms": pd.DataFrame({"a": range(6)})}, meta)
    export.xlsx_bytes({"firms": pd.DataFrame({"a": range(5)})}, meta)


def test_geojson_and_geopackage_round_trip(firms, meta, tmp_path):
    points = export.firms_geodataframe(firms)
    assert len(points) == len(firms) and points.geometry.isna().sum() == 1
    data = json.loads(export.geojson_bytes(points, meta))
    assert data["metadata"]["filters"] == {"sectors": ["ict"]}
    path = tmp_path / "f.geojson"
    path.write_bytes(export.geojson_bytes(points, meta))
    back = gpd.read_file(path)
    expected = [p.replace("\x00", "") for p in PAYLOADS]  # GDAL cannot store NUL
    assert len(back) == len(firms) and back["name"].tolist() == expected
    gpkg = tmp_path / "f.gpkg"
    gpkg.write_bytes(export.gpkg_bytes(points, meta, layer="firms"))
    layers = [name for name, _ in pyogrio.list_layers(gpkg)]
    assert set(layers) == {"firms", "metadata"}
    back = gpd.read_file(gpkg, layer="firms")
    assert back["name"].tolist() == expected
    assert back["employees"].tolist() == firms["employees"].tolist()
    assert back["exporter"].tolist() == firms["exporter"].tolist()
    table = pyogrio.read_dataframe(gpkg, layer="metadata")
    assert dict(zip(table["key"], table["value"]))["dataset"] == "demo"


def test_clusters_export_with_polygons(meta, tmp_path):
    clusters = gpd.GeoDataFrame(
        {"cluster": [0, 1], "sector": ["ict", "=evil"], "stage": ["local", "national"]},
        geometry=[shapely.Point(106.9, 47.9).buffer(0.01)] * 2,
        crs=4326,
    )
    path = tmp_path / "c.gpkg"
    path.write_bytes(export.gpkg_bytes(clusters, meta, layer="clusters"))
    back = gpd.read_file(path, layer="clusters")
    assert back.geometry.geom_type.tolist() == ["Polygon", "Polygon"]
    assert back["sector"].tolist() == ["ict", "=evil"]  # GIS formats keep text as it is
