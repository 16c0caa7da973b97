"""geo.stats: every indicator against a hand computation; Moran's I against its formula."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from geo.io import load_demo_firms
from geo.stats import load_districts, morans_i, sector_statistics, unit_profile


@pytest.fixture()
def firms():
    # Ulaanbaatar: ict 3 firms / 60 people, trade 2 / 40; Ömnögovi: mining 2 / 300,
    # trade 1 / 10; Darkhan-Uul: trade 1 / 50; one firm without an aimag: trade 1 / 100.
    return pd.DataFrame(
        {
            "aimag_code": ["MN-1"] * 5 + ["MN-053"] * 3 + ["MN-037", None],
            "sector": ["ict"] * 3 + ["trade"] * 2 + ["mining", "mining", "trade", "trade", "trade"],
            "employees": [20, 20, 20, 30, 10, 200, 100, 10, 50, 100],
            "soum": [
                "Сүхбаатар",
                "Сүхбаатар",
                "Хан-Уул",
                "Хан-Уул",
                "Баянгол",
                "Ханбогд",
                "Цогтцэций",
                "Ханбогд",
                "Дархан",
                None,
            ],
        }
    )


def cell(table, key, sector, column="aimag_code"):
    rows = table[(table[column] == key) & (table["sector"] == sector)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_counts_shares_and_location_quotients_by_hand(firms, aimags):
    t = sector_statistics(firms, aimags=aimags)
    total = 20 * 3 + 30 + 10 + 200 + 100 + 10 + 50 + 100  # 560
    ub_ict = cell(t, "MN-1", "ict")
    assert (ub_ict.firms, ub_ict.employees) == (3, 60)
    assert ub_ict.share_of_unit_employment == pytest.approx(60 / 100)
    assert ub_ict.share_of_sector_employment == pytest.approx(1.0)
    assert ub_ict.lq_employment == pytest.approx((60 / 100) / (60 / total))
    assert ub_ict.lq_firms == pytest.approx((3 / 5) / (3 / 10))
    mining = cell(t, "MN-053", "mining")
    assert mining.lq_employment == pytest.approx((300 / 310) / (300 / total))
    trade_dk = cell(t, "MN-037", "trade")
    assert trade_dk.lq_employment == pytest.approx(1 / (200 / total))
    assert trade_dk.share_of_sector_employment == pytest.approx(50 / 200)  # 100 in no aimag
    # a unit without the sector
    assert cell(t, "MN-037", "ict").lq_employment == 0
    # a unit without any firm: shares undefined, not zero
    assert np.isnan(cell(t, "MN-065", "ict").lq_employment)
    # the country's own row
    country = cell(t, "MN", "trade")
    assert (country.firms, country.employees, country.lq_employment) == (5, 200, 1.0)


def test_whole_economy_has_lq_one_and_shares_sum_to_one(firms, aimags):
    t = sector_statistics(firms.assign(all="all"), aimags=aimags, by="all")
    active = t[t["unit_employees"] > 0]
    assert np.allclose(active["lq_employment"], 1.0) and np.allclose(active["lq_firms"], 1.0)
    t = sector_statistics(firms, aimags=aimags, include_country=False)
    by_unit = t[t.unit_employees > 0].groupby("aimag_code")["share_of_unit_employment"].sum()
    assert np.allclose(by_unit, 1.0)
    by_sector = t.groupby("sector")["share_of_sector_firms"].sum()
    assert by_sector["ict"] == pytest.approx(1.0) and by_sector["mining"] == pytest.approx(1.0)
    assert by_sector["trade"] == pytest.approx(4 / 5)  # one trade firm has no aimag


def test_population_rates_hhi_and_small_counts(firms, aimags):
    t = sector_statistics(firms, aimags=aimags, small_count=3)
    pop = float(aimags.set_index("iso_3166_2").loc["MN-053", "population"])
    mining = cell(t, "MN-053", "mining")
    assert mining.firms_per_10k == pytest.approx(2 / pop * 1e4)
    assert mining.employees_per_10k == pytest.approx(300 / pop * 1e4)
    assert mining.population_year == 2020
    assert mining.hhi == pytest.approx((300 / 310) ** 2 + (10 / 310) ** 2)
    assert cell(t, "MN-1", "ict").hhi == pytest.approx(0.6**2 + 0.4**2)
    assert mining.lq_note.startswith("small count")  # 2 firms < 3
    assert cell(t, "MN-1", "ict").lq_note == ""


def test_cluster_strength_ratings_by_hand(firms, aimags):
    t = sector_statistics(firms, aimags=aimags, include_country=False)
    trade = t[t.sector == "trade"]
    lq = trade["lq_employment"].fillna(0).to_numpy()
    p75, e25, f25 = (
        np.percentile(lq, 75),
        np.percentile(trade.employees, 25),
        np.percentile(trade.firms, 25),
    )
    expected = (lq >= p75) & (lq >= 1) & (trade.employees > e25) & (trade.firms > f25)
    assert trade["cmp_strong"].tolist() == expected.tolist()
    assert trade["cmp_strong"].sum() == 2  # Darkhan-Uul (LQ 2.8) and UB (LQ 1.12)
    assert cell(t, "MN-037", "trade").cmp_strong and cell(t, "MN-1", "trade").cmp_strong
    assert not cell(t, "MN-053", "trade").cmp_strong  # LQ 0.09
    # 22 units: top 10% is the top 3
    mining = cell(t, "MN-053", "mining")
    assert mining.eco_size and mining.eco_focus
    assert not mining.eco_specialisation  # LQ (300/310)/(300/560) = 1.81 < 2
    assert mining.eco_stars == 2
    ub_trade = cell(t, "MN-1", "trade")
    assert not ub_trade.eco_specialisation and ub_trade.eco_size


def test_region_and_district_levels(firms, aimags):
    regions = sector_statistics(firms, aimags=aimags, level="region")
    central = cell(regions, "Central", "mining", "region")  # Ömnögovi and Darkhan-Uul
    assert (central.firms, central.employees) == (2, 300)
    assert central.unit_employees == 360
    assert list(regions.columns[:4]) == ["region", "name_mn", "name_en", "sector"]
    districts = sector_statistics(firms, aimags=aimags, level="district")
    codes = dict(zip(load_districts()["name_mn"], load_districts()["unit_code"]))
    sb = cell(districts, codes["Сүхбаатар"], "ict", "district_code")
    assert (sb.firms, sb.employees, sb.lq_employment) == (2, 40, pytest.approx(1 / (60 / 560)))
    assert sb.population > 100_000
    with pytest.raises(ValueError, match="level must be"):
        sector_statistics(firms, aimags=aimags, level="soum")
    with pytest.raises(ValueError, match="weight column"):
        sector_statistics(firms, aimags=aimags, weight="staff")
    with pytest.raises(ValueError, match="aimag_code"):
        sector_statistics(firms.drop(columns="aimag_code"), aimags=aimags)


def test_unit_profile(firms, aimags):
    t = sector_statistics(firms, aimags=aimags, small_count=1)
    profile = unit_profile(t, "MN-1")
    assert profile["by_employment"]["sector"].tolist() == ["ict", "trade"]
    assert profile["by_lq"]["sector"].iloc[0] == "ict"


def test_morans_i_matches_its_formula(aimags):
    from libpysal.weights import Queen

    rng = np.random.default_rng(0)
    values = pd.Series(rng.random(len(aimags)), index=aimags["iso_3166_2"])
    result = morans_i(values, aimags, permutations=199)
    w = Queen.from_dataframe(aimags, use_index=False)
    w.transform = "r"
    W = w.full()[0]
    z = values.to_numpy() - values.mean()
    by_hand = len(z) / W.sum() * (z @ W @ z) / (z @ z)
    assert result.I == pytest.approx(by_hand)
    assert result.expected == pytest.approx(-1 / 21)
    assert 0 < result.p_value <= 1 and len(result.local) == 22
    assert set(result.local["quadrant"]) <= {"HH", "LL", "HL", "LH"}
    assert result.reading
    # the same seed gives the same p-value
    assert morans_i(values, aimags, permutations=199).p_value == result.p_value


def test_morans_i_sees_a_clustered_pattern(aimags):
    western = aimags["region_en"].eq("Western").to_numpy(dtype=float)
    result = morans_i(pd.Series(western, index=aimags["iso_3166_2"]), aimags)
    assert result.I > 0.3 and result.p_value < 0.05
    assert result.reading.startswith("Clustered")
    flat = morans_i(pd.Series(1.0, index=aimags["iso_3166_2"]), aimags)
    assert np.isnan(flat.I) and "same in every aimag" in flat.reading


@pytest.fixture(scope="module")
def demo():
    frame = load_demo_firms()
    return frame.assign(aimag_code=frame["true_aimag_code"], soum=frame["true_soum"])


def test_demo_shows_the_promised_location_quotients(demo, aimags):
    from datasets.build.make_demo_firms import promised_concentrations

    by_aimag = sector_statistics(demo, aimags=aimags)
    by_district = sector_statistics(demo, aimags=aimags, level="district")
    codes = dict(zip(load_districts()["name_mn"], load_districts()["unit_code"]))
    for sector, aimag, district, minimum in promised_concentrations():
        if district is None:
            row = cell(by_aimag, aimag, sector)
        else:
            row = cell(by_district, codes[district], sector, "district_code")
        assert row.lq_employment >= minimum, (sector, aimag, district, row.lq_employment)


def test_local_moran_p_values_agree_with_esda(aimags):
    """Our NumPy conditional randomisation against esda's compiled one (same statistic,
    p-values within Monte Carlo error)."""
    from esda.moran import Moran_Local
    from libpysal.weights import Queen

    values = pd.Series(
        aimags["region_en"].eq("Western").to_numpy(dtype=float) + np.linspace(0, 0.5, len(aimags)),
        index=aimags["iso_3166_2"],
    )
    ours = morans_i(values, aimags, permutations=9999).local
    w = Queen.from_dataframe(aimags, use_index=False)
    w.transform = "r"
    ref = Moran_Local(values.to_numpy(), w, permutations=9999, seed=1)
    assert np.allclose(ours["local_i"], ref.Is)
    assert np.abs(ours["p_value"].to_numpy() - ref.p_sim).max() < 0.02
    clear = np.abs(ref.p_sim - 0.05) > 0.01
    assert (ours["significant"].to_numpy()[clear] == (ref.p_sim < 0.05)[clear]).all()
