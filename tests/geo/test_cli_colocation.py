"""``python -m geo colocation``: the table, the summary, refused input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.__main__ import main
from geo.projection import to_wgs84


@pytest.fixture
def firms_csv(tmp_path):
    rng = np.random.default_rng(4)
    rows = []
    for _ in range(25):
        x, y = rng.uniform(0, 40_000, 2)
        rows += [("meat", x, y), ("leather", x + 80, y)]
    rows += [("shop", *rng.uniform(0, 40_000, 2)) for _ in range(150)]
    sector, x, y = zip(*rows)
    lon, lat = to_wgs84(np.array(x), np.array(y))
    frame = pd.DataFrame({"sector": sector, "lat": lat, "lon": lon})
    frame.loc[len(frame)] = ["=HYPERLINK(1)", np.nan, np.nan]  # no place: left out, counted
    path = tmp_path / "firms.csv"
    frame.to_csv(path, index=False)
    return path


def test_colocation_command(firms_csv, tmp_path, capsys):
    out = tmp_path / "clq.csv"
    assert (
        main(
            [
                "colocation",
                str(firms_csv),
                "-o",
                str(out),
                "--by",
                "sector",
                "--radius-km",
                "0.3",
                "--replicates",
                "99",
                "--seed",
                "7",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "201 rows, 200 used (left out: no coordinates: 1)" in printed
    assert "3 values of 'sector', 9 ordered pairs within 0.3 km" in printed
    assert "99 relabellings, seed 7" in printed
    assert "leather - meat" in printed or "meat - leather" in printed
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert list(table.columns[:4]) == ["sector_a", "sector_b", "colocation", "p_value"]
    row = table[(table.sector_a == "meat") & (table.sector_b == "leather")].iloc[0]
    assert row["colocation"] > 5 and row["p_value"] == pytest.approx(0.01) and row["related"]
    assert table["p_value"].between(0.01, 1).all()


def test_colocation_command_writes_xlsx_and_repeats_with_its_seed(firms_csv, tmp_path, capsys):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path in (first, second):
        assert (
            main(
                ["colocation", str(firms_csv), "-o", str(path), "--replicates", "19", "--seed", "3"]
            )
            == 0
        )
    pd.testing.assert_frame_equal(pd.read_excel(first), pd.read_excel(second))


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--by", "branch"], "no column 'branch' for --by"),
        (["--radius-km", "0"], "--radius-km must be above 0"),
        (["--replicates", "-2"], "--replicates must be from 0"),
    ],
)
def test_colocation_errors_name_the_problem(firms_csv, tmp_path, capsys, extra, message):
    assert main(["colocation", str(firms_csv), "-o", str(tmp_path / "c.csv"), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_colocation_needs_coordinates(tmp_path, capsys):
    path = tmp_path / "plain.csv"
    pd.DataFrame({"sector": ["a", "b"], "address": ["x", "y"]}).to_csv(path, index=False)
    assert main(["colocation", str(path), "-o", str(tmp_path / "c.csv")]) == 2
    assert "geocode the file first" in capsys.readouterr().err


@pytest.fixture
def register_csv(tmp_path):
    """Twenty mining firms within 300 m, a school inside, a bank 3 km away, a chamber 30 km."""
    rng = np.random.default_rng(1)
    x = list(rng.normal(0, 150, 20)) + [0, 3000, 30_000]
    y = list(rng.normal(0, 150, 20)) + [50, 0, 0]
    lon, lat = to_wgs84(np.array(x), np.array(y))
    frame = pd.DataFrame(
        {
            "sector": ["mining"] * 20 + ["education", "finance", "services"],
            "isic_division": ["07"] * 20 + ["85", "64", "94"],
            "lat": lat,
            "lon": lon,
        }
    )
    path = tmp_path / "register.csv"
    frame.to_csv(path, index=False)
    return path


def test_cluster_command_adds_the_ecosystem(register_csv, tmp_path, capsys):
    import geopandas as gpd

    layer = tmp_path / "clusters.geojson"
    assert (
        main(
            [
                "cluster",
                str(register_csv),
                "-o",
                str(tmp_path / "c.csv"),
                "--eps-km",
                "1",
                "--min-samples",
                "5",
                "--clusters",
                str(layer),
                "--institutions",
                "register",
            ]
        )
        == 0
    )
    assert "ecosystem: 3 institutions of the register" in capsys.readouterr().out
    table = gpd.read_file(layer)
    row = table[table["sector"] == "mining"].iloc[0]
    assert (row["inside_education"], row["near_finance"], row["near_membership"]) == (1, 1, 0)
    assert row["missing_institutions"] == "research; membership; public_administration"
    # a separate list with a type column: every row read, the bad one reported
    lon, lat = to_wgs84(np.array([0.0, 100.0]), np.array([0.0, 0.0]))
    listed = tmp_path / "institutions.csv"
    pd.DataFrame(
        {"name": ["Лаб", "Клуб"], "type": ["судалгаа", "club"], "lat": lat, "lon": lon}
    ).to_csv(listed, index=False)
    assert (
        main(
            [
                "cluster",
                str(register_csv),
                "-o",
                str(tmp_path / "c.csv"),
                "--eps-km",
                "1",
                "--min-samples",
                "5",
                "--clusters",
                str(layer),
                "--institutions",
                str(listed),
                "--institutions-km",
                "2",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "1 institutions of" in captured.out and "(1 rows left out)" in captured.out
    assert "row 3: type: unknown type 'club'" in captured.err
    row = gpd.read_file(layer).query("sector == 'mining'").iloc[0]
    assert (row["inside_research"], row["near_education"]) == (1, 0)


def test_institutions_need_the_cluster_table(register_csv, tmp_path, capsys):
    assert (
        main(
            [
                "cluster",
                str(register_csv),
                "-o",
                str(tmp_path / "c.csv"),
                "--institutions",
                "register",
            ]
        )
        == 2
    )
    assert "give --clusters FILE too" in capsys.readouterr().err
