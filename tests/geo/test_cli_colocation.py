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
    frame.loc[len(frame)] = ["=HYPERLINK(1)", np.nan, np.nan]     # no place: left out, counted
    path = tmp_path / "firms.csv"
    frame.to_csv(path, index=False)
    return path


def test_colocation_command(firms_csv, tmp_path, capsys):
    out = tmp_path / "clq.csv"
    assert main(["colocation", str(firms_csv), "-o", str(out), "--by", "sector",
                 "--radius-km", "0.3", "--replicates", "99", "--seed", "7"]) == 0
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
        assert main(["colocation", str(firms_csv), "-o", str(path), "--replicates", "19",
                     "--seed", "3"]) == 0
    pd.testing.assert_frame_equal(pd.read_excel(first), pd.read_excel(second))


@pytest.mark.parametrize("extra, message", [
    (["--by", "branch"], "no column 'branch' for --by"),
    (["--radius-km", "0"], "--radius-km must be above 0"),
    (["--replicates", "-2"], "--replicates must be from 0"),
])
def test_colocation_errors_name_the_problem(firms_csv, tmp_path, capsys, extra, message):
    assert main(["colocation", str(firms_csv), "-o", str(tmp_path / "c.csv"), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_colocation_needs_coordinates(tmp_path, capsys):
    path = tmp_path / "plain.csv"
    pd.DataFrame({"sector": ["a", "b"], "address": ["x", "y"]}).to_csv(path, index=False)
    assert main(["colocation", str(path), "-o", str(tmp_path / "c.csv")]) == 2
    assert "geocode the file first" in capsys.readouterr().err
