"""Co-location quotients: hand-built layouts, the Monte Carlo test, the demo's planted pairs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.colocation import COLUMNS, colocation_quotients, neighbour_pairs, related_pairs
from geo.projection import to_wgs84


def layout(points: list[tuple[str, float, float]]) -> pd.DataFrame:
    """Firms at (sector, x km, y km) in the metric projection, as lat/lon."""
    sector, x, y = zip(*points)
    lon, lat = to_wgs84(np.array(x) * 1000.0, np.array(y) * 1000.0)
    return pd.DataFrame({"sector": sector, "lat": lat, "lon": lon})


def quotient(table: pd.DataFrame, a: str, b: str) -> pd.Series:
    return table[(table["sector_a"] == a) & (table["sector_b"] == b)].iloc[0]


def test_neighbour_pairs_are_directed_and_within_the_radius():
    i, j = neighbour_pairs(np.array([0.0, 100.0, 250.0, 5000.0]), np.zeros(4), 150.0)
    assert sorted(zip(i.tolist(), j.tolist())) == [(0, 1), (1, 0), (1, 2), (2, 1)]
    assert neighbour_pairs(np.array([0.0]), np.array([0.0]), 1.0)[0].size == 0
    with pytest.raises(ValueError, match="smaller radius"):
        neighbour_pairs(np.zeros(10), np.zeros(10), 1.0, max_pairs=50)


def test_hand_computed_symmetric_pairs():
    # two sites 10 km apart, each one A and one B firm 100 m apart; a C firm far away
    firms = layout([("A", 0, 0), ("B", 0.1, 0), ("A", 10, 0), ("B", 10.1, 0), ("C", 50, 50)])
    table = colocation_quotients(firms, radius_km=0.5, replicates=0, seed=0)
    assert list(table.columns) == list(COLUMNS)
    assert list(table.columns[:4]) == ["sector_a", "sector_b", "colocation", "p_value"]
    assert len(table) == 9
    # A's neighbours are all B; B is 2 of the 4 other firms: 1 / (2/4) = 2
    assert quotient(table, "A", "B")["colocation"] == pytest.approx(2.0)
    assert quotient(table, "B", "A")["colocation"] == pytest.approx(2.0)
    assert quotient(table, "A", "A")["colocation"] == pytest.approx(0.0)
    assert quotient(table, "A", "C")["colocation"] == pytest.approx(0.0)
    assert np.isnan(quotient(table, "C", "A")["colocation"])  # C has no neighbour
    assert table["p_value"].isna().all() and not table["related"].any()
    assert table.attrs["firms"] == 5 and table.attrs["radius_km"] == 0.5


def test_hand_computed_asymmetric_pair():
    # one A firm with three B neighbours and one D neighbour; three lone D firms elsewhere
    firms = layout(
        [
            ("A", 0, 0),
            ("B", 0.1, 0),
            ("B", 0, 0.1),
            ("B", -0.1, 0),
            ("D", 0, -0.1),
            ("D", 20, 0),
            ("D", 40, 0),
            ("D", 60, 0),
        ]
    )
    table = colocation_quotients(firms, radius_km=0.15, replicates=0, seed=0)
    n = 8
    # A -> B: 3 of A's 4 neighbours are B; B is 3 of the 7 other firms
    assert quotient(table, "A", "B")["colocation"] == pytest.approx((3 / 4) / (3 / (n - 1)))
    # the B firms at (0.1, 0), (0, 0.1), (-0.1, 0) and D at (0, -0.1): diagonal neighbours
    # are 141 m apart (within 150 m), opposite ones 200 m (not). Each B firm has three
    # neighbours, A among them: B -> A = (1/3) / (1/7)
    assert quotient(table, "B", "A")["colocation"] == pytest.approx((1 / 3) / (1 / (n - 1)))
    # B with itself: 1, 2 and 1 of the three neighbours are B; N_B - 1 = 2 others of the 7
    b_b = np.mean([1 / 3, 2 / 3, 1 / 3]) / (2 / (n - 1))
    assert quotient(table, "B", "B")["colocation"] == pytest.approx(b_b)
    assert quotient(table, "A", "B")["colocation"] != pytest.approx(
        quotient(table, "B", "A")["colocation"]
    )


def test_quotients_follow_the_radius():
    firms = layout([("A", 0, 0), ("B", 0.8, 0), ("C", 0.3, 0)])
    near = colocation_quotients(firms, radius_km=0.5, replicates=0, seed=0)
    far = colocation_quotients(firms, radius_km=1.0, replicates=0, seed=0)
    assert quotient(near, "A", "B")["colocation"] == 0.0
    assert quotient(far, "A", "B")["colocation"] == pytest.approx((1 / 2) / (1 / 2))


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    """Thirty sites of A beside B (50 m), the other firms (C, D) scattered."""
    rng = np.random.default_rng(3)
    points = []
    for _ in range(30):
        x, y = rng.uniform(0, 30, 2)
        points += [("A", x, y), ("B", x + 0.05, y)]
    points += [("C", *rng.uniform(0, 30, 2)) for _ in range(100)]
    points += [("D", *rng.uniform(0, 30, 2)) for _ in range(100)]
    return layout(points)


def test_monte_carlo_finds_the_planted_pair(planted):
    table = colocation_quotients(planted, radius_km=0.2, replicates=199, seed=5)
    row = quotient(table, "A", "B")
    assert row["colocation"] > 3 and row["p_value"] == pytest.approx(1 / 200)
    assert row["related"]
    assert not quotient(table, "C", "D")["related"]
    assert table["p_value"].dropna().between(1 / 200, 1).all()
    off = table["sector_a"] != table["sector_b"]
    assert table.loc[off, "p_adjusted"].ge(table.loc[off, "p_value"]).all()
    assert table.loc[~off, "p_adjusted"].isna().all() and not table.loc[~off, "related"].any()
    top = related_pairs(table)
    assert {top.iloc[0]["sector_a"], top.iloc[0]["sector_b"]} == {"A", "B"}
    assert (
        len(top[top[["sector_a", "sector_b"]].apply(frozenset, axis=1) == frozenset({"A", "B"})])
        == 1
    )  # one row per pair


def test_seed_reproduces_and_is_recorded(planted):
    first = colocation_quotients(planted, radius_km=2.0, replicates=49, seed=11)
    again = colocation_quotients(planted, radius_km=2.0, replicates=49, seed=11)
    other = colocation_quotients(planted, radius_km=2.0, replicates=49, seed=12)
    pd.testing.assert_frame_equal(first, again)
    assert first.attrs["seed"] == 11 and first.attrs["replicates"] == 49
    assert not first["p_value"].equals(other["p_value"])
    drawn = colocation_quotients(planted, radius_km=2.0, replicates=5)
    assert isinstance(drawn.attrs["seed"], int)


def test_rows_without_place_or_sector_are_counted(planted):
    firms = pd.concat(
        [
            planted,
            pd.DataFrame(
                {
                    "sector": ["A", None, "  "],
                    "lat": [np.nan, 47.0, 47.0],
                    "lon": [106.0, 106.0, 106.0],
                }
            ),
        ],
        ignore_index=True,
    )
    table = colocation_quotients(firms, radius_km=0.2, replicates=0, seed=0)
    assert table.attrs["left_out"] == {"no coordinates": 1, "no sector": 2}
    assert table.attrs["firms"] == len(planted)


def test_bad_input_is_refused_clearly(planted):
    with pytest.raises(ValueError, match="no column 'industry'"):
        colocation_quotients(planted, by="industry")
    with pytest.raises(ValueError, match="above 0 km"):
        colocation_quotients(planted, radius_km=0)
    with pytest.raises(ValueError, match="replicates"):
        colocation_quotients(planted, replicates=-1)


def test_the_demo_finds_its_planted_related_pairs_and_not_the_unrelated_one():
    """Acceptance (issue 18): the demo generator plants leather beside meat processing and
    mining services and hauliers beside mines; tourism and mining stay apart."""
    from geo.io import load_demo_firms

    firms = load_demo_firms()
    firms = firms.assign(lat=firms["true_lat"], lon=firms["true_lon"])
    table = colocation_quotients(firms, radius_km=1.0, replicates=99, seed=18)
    for a, b in [
        ("meat_dairy", "cashmere_wool_leather"),
        ("mining", "mining_services"),
        ("mining", "logistics"),
    ]:
        for x, y in ((a, b), (b, a)):
            row = quotient(table, x, y)
            assert row["related"] and row["colocation"] > 1.4 and row["p_value"] == 0.01, (x, y)
    for x, y in (("tourism", "mining"), ("mining", "tourism")):
        row = quotient(table, x, y)
        assert not row["related"] and row["colocation"] < 0.5 and row["p_value"] > 0.5
    strongest = related_pairs(table, top=4)
    assert {frozenset(p) for p in zip(strongest["sector_a"], strongest["sector_b"])} == {
        frozenset({"mining", "mining_services"}),
        frozenset({"mining", "logistics"}),
        frozenset({"meat_dairy", "cashmere_wool_leather"}),
        frozenset({"logistics", "mining_services"}),
    }
