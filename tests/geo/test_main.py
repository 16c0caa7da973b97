"""python -m geo cluster / stats: the interfaces analysts' scripts depend on."""

from __future__ import annotations

import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.__main__ import main
from geo.admin import DATASETS_DIR


@pytest.fixture()
def firm_csv(tmp_path):
    rng = np.random.default_rng(3)
    ub = rng.normal([106.92, 47.92], 0.003, (30, 2))
    gobi = rng.normal([106.85, 43.05], 0.003, (20, 2))
    pts = np.vstack([ub, gobi, [[100.0, 45.0]]])
    frame = pd.DataFrame(
        {
            "name": [f'=HYPERLINK("x")-{i}' if i == 0 else f"Firm {i}" for i in range(51)],
            "sector": ["ict"] * 30 + ["mining"] * 20 + ["ict"],
            "employees": [str(v) for v in rng.integers(1, 50, 51)],
            "latitude": [str(v) for v in pts[:, 1].round(6)],
            "longitude": [str(v) for v in pts[:, 0].round(6)],
        }
    )
    frame.loc[7, "latitude"] = "47°55'12\"N"  # DMS text still parses
    frame.loc[8, ["latitude", "longitude"]] = ""  # a firm without coordinates
    path = tmp_path / "firms.csv"
    frame.to_csv(path, index=False)
    return path


def test_cluster_command(firm_csv, tmp_path, capsys):
    out = tmp_path / "out.csv"
    layer = tmp_path / "clusters.gpkg"
    code = main(
        [
            "cluster",
            str(firm_csv),
            "-o",
            str(out),
            "--eps-km",
            "2",
            "--min-samples",
            "5",
            "--clusters",
            str(layer),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "51 rows: 2 clusters in 2 groups of 'sector'" in printed
    assert "1 excluded (no coordinates: 1)" in printed
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(back) == 51 and back["name"].iloc[0].startswith("'=")
    assert back["cluster"].astype(int).tolist()[:30] != [-1] * 30
    assert back.loc[8, "cluster_status"] == "excluded: no coordinates"
    assert back.loc[50, "cluster"] == "-1" and back.loc[50, "cluster_status"] == "noise"
    table = gpd.read_file(layer)
    assert len(table) == 2 and set(table["sector"]) == {"ict", "mining"}
    assert set(table["aimag_codes"]) == {"MN-1", "MN-053"}
    assert table.geometry.geom_type.eq("Polygon").all() and table.crs.to_epsg() == 4326


def test_cluster_command_options(firm_csv, tmp_path, capsys):
    out = tmp_path / "out.xlsx"
    assert (
        main(
            [
                "cluster",
                str(firm_csv),
                "-o",
                str(out),
                "--eps-km",
                "2",
                "--min-samples",
                "200",
                "--weight",
                "employees",
                "--by",
                "none",
            ]
        )
        == 0
    )
    assert "groups" not in capsys.readouterr().out
    back = pd.read_excel(out)
    assert len(back) == 51
    assert (
        main(
            [
                "cluster",
                str(firm_csv),
                "-o",
                str(tmp_path / "h.csv"),
                "--method",
                "hdbscan",
                "--min-samples",
                "10",
                "--by",
                "none",
                "--clusters",
                str(tmp_path / "h.geojson"),
            ]
        )
        == 0
    )
    assert len(gpd.read_file(tmp_path / "h.geojson")) == 2


@pytest.mark.parametrize(
    "extra,message",
    [
        (["--by", "branch"], "no column 'branch' for --by"),
        (["--weight", "staff"], "no column 'staff' for --weight"),
        (["--eps-km", "0"], "eps_km must be between"),
        (["--lat-column", "y"], "no column 'y' for latitude"),
        (["--clusters", "x.shp"], "written as .geojson or .gpkg"),
    ],
)
def test_cluster_command_errors_name_the_problem(firm_csv, tmp_path, capsys, extra, message):
    assert main(["cluster", str(firm_csv), "-o", str(tmp_path / "o.csv"), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cluster_command_needs_coordinates(tmp_path, capsys):
    src = tmp_path / "addresses.csv"
    pd.DataFrame({"name": ["a"], "address": ["Ханбогд сум"]}).to_csv(src, index=False)
    assert main(["cluster", str(src), "-o", str(tmp_path / "o.csv")]) == 2
    assert "geocode the file first" in capsys.readouterr().err


def test_module_runs_as_a_program(tmp_path):
    out = tmp_path / "demo.csv"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "cluster",
            str(DATASETS_DIR / "firms_demo_synthetic.csv"),
            "-o",
            str(out),
            "--lat-column",
            "true_lat",
            "--lon-column",
            "true_lon",
        ],
        capture_output=True,
        text=True,
        cwd=DATASETS_DIR.parent,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("20400 rows: ")
    assert len(pd.read_csv(out, usecols=["cluster"])) == 20400


def test_stats_command(tmp_path, capsys):
    src = tmp_path / "firms.csv"
    pd.DataFrame(
        {
            "aimag_code": ["MN-1", "MN-1", "MN-053", " mn-053 ", "", "MN-037"],
            "sector": ["ict", "trade", "mining", "mining", "trade", "=cmd"],
            "employees": ["10", "30", "200", "100", "5", "7"],
        }
    ).to_csv(src, index=False)
    out = tmp_path / "stats.csv"
    assert main(["stats", str(src), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "6 firms (1 without a known aimag" in printed and "22 aimags + Mongolia x 4" in printed
    back = pd.read_csv(out, keep_default_na=False)
    assert len(back) == 23 * 4
    for column in (
        "aimag_code",
        "sector",
        "firms",
        "employees",
        "lq_employment",
        "lq_firms",
        "share_of_unit_employment",
        "share_of_sector_employment",
        "cmp_strong",
        "eco_stars",
    ):
        assert column in back.columns
    mining = back[(back.aimag_code == "MN-053") & (back.sector == "mining")].iloc[0]
    assert mining.firms == 2 and float(mining.lq_employment) == pytest.approx(1 / (300 / 352))
    assert "'=cmd" in set(back["sector"])  # formula neutralised


def test_stats_command_levels_and_points(tmp_path, capsys):
    src = tmp_path / "points.csv"
    pd.DataFrame(
        {
            "lat": [47.92, 47.90, 43.0],
            "lon": [106.92, 106.80, 106.85],
            "sector": ["ict", "ict", "mining"],
            "staff": [3, 4, 5],
        }
    ).to_csv(src, index=False)
    out = tmp_path / "d.xlsx"
    assert (
        main(["stats", str(src), "-o", str(out), "--level", "district", "--weight", "staff"]) == 0
    )
    back = pd.read_excel(out, dtype={"district_code": str})
    assert back.loc[back.sector == "ict", "firms"].sum() == 2 * 2  # districts + Mongolia
    assert (
        main(
            [
                "stats",
                str(src),
                "-o",
                str(tmp_path / "r.csv"),
                "--level",
                "region",
                "--weight",
                "none",
            ]
        )
        == 0
    )
    assert main(["stats", str(src), "-o", str(tmp_path / "x.csv")]) == 2
    assert "use --weight none" in capsys.readouterr().err


# -- significance and localisation (issue #17) ---------------------------------------------


@pytest.fixture()
def sector_csv(tmp_path):
    """A city with three sectors spread over it, and one sector gathered in a quiet town."""
    rng = np.random.default_rng(8)
    city = rng.normal([106.92, 47.92], [0.04, 0.03], (600, 2))
    town = rng.normal([105.0, 45.5], 0.004, (40, 2))
    pts = np.vstack([city, town])
    sector = np.concatenate(
        [rng.choice(["trade", "services", "ict"], 600), ["mining"] * 30 + ["trade"] * 10]
    )
    path = tmp_path / "sectors.csv"
    pd.DataFrame(
        {
            "sector": sector,
            "employees": rng.integers(1, 50, len(pts)),
            "lat": pts[:, 1].round(6),
            "lon": pts[:, 0].round(6),
        }
    ).to_csv(path, index=False)
    return path


def test_cluster_command_with_significance(sector_csv, tmp_path, capsys):
    layer = tmp_path / "clusters.gpkg"
    args = [
        "cluster",
        str(sector_csv),
        "-o",
        str(tmp_path / "o.csv"),
        "--eps-km",
        "2",
        "--min-samples",
        "8",
        "--clusters",
        str(layer),
        "--significance",
        "199",
        "--seed",
        "4",
    ]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "replicates 199" not in printed and "199 replicates, seed 4, null all" in printed
    table = gpd.read_file(layer)
    assert {"p_value", "significant", "llr", "local_lq", "hypergeom_p", "footprint_firms"} <= set(
        table.columns
    )
    assert table["p_value"].between(1 / 200, 1).all()
    mining = table[table["sector"] == "mining"]
    assert len(mining) == 1 and bool(mining["significant"].iloc[0])
    assert mining["p_value"].iloc[0] == table["p_value"].min() == 1 / 200
    # the same seed, the same p-values; the aimag null runs too
    assert main(args) == 0
    again = gpd.read_file(layer)
    assert again["p_value"].tolist() == table["p_value"].tolist()
    assert main([*args, "--null", "aimag", "--correction", "bh"]) == 0
    assert "null aimag" in capsys.readouterr().out


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--significance", "99"], "give --clusters FILE too"),
        (
            ["--significance", "99", "--clusters", "c.gpkg", "--method", "hdbscan"],
            "needs --method dbscan",
        ),
        (["--significance", "99", "--clusters", "c.gpkg", "--by", "none"], "needs --by"),
        (["--significance", "0", "--clusters", "c.gpkg"], "from 1 to 100000"),
    ],
)
def test_significance_errors_name_the_problem(sector_csv, tmp_path, capsys, extra, message):
    extra = [str(tmp_path / e) if e == "c.gpkg" else e for e in extra]
    assert main(["cluster", str(sector_csv), "-o", str(tmp_path / "o.csv"), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_localisation_command(sector_csv, tmp_path, capsys):
    out = tmp_path / "k.csv"
    summary = tmp_path / "summary.xlsx"
    assert (
        main(
            [
                "localisation",
                str(sector_csv),
                "-o",
                str(out),
                "--by",
                "sector",
                "--max-km",
                "10",
                "--replicates",
                "49",
                "--weight",
                "employees",
                "--seed",
                "3",
                "--summary",
                str(summary),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "640 rows, 640 placed at a point: 4 values of 'sector'" in printed
    assert "49 draws, seed 3, weighted by employees" in printed
    assert "mining: localised at 0-" in printed
    back = pd.read_csv(out)
    assert list(back.columns) == [
        "sector",
        "distance_km",
        "k_density",
        "local_low",
        "local_high",
        "global_low",
        "global_high",
    ]
    assert len(back) == 4 * 201 and back["distance_km"].max() == pytest.approx(10)
    table = pd.read_excel(summary)
    assert table.iloc[0]["sector"] == "mining" and table.iloc[0]["status"] == "localised"


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--max-km", "0"], "max_km must be between"),
        (["--replicates", "3"], "replicates must be"),
        (["--by", "branch"], "no column 'branch' for --by"),
        (["--weight", "staff"], "no column 'staff' for --weight"),
    ],
)
def test_localisation_errors_name_the_problem(sector_csv, tmp_path, capsys, extra, message):
    assert main(["localisation", str(sector_csv), "-o", str(tmp_path / "k.csv"), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
