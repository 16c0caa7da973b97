"""The synthetic demo registry: reproducible from its generator, and realistic."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from datasets.build import make_demo_firms as gen

ROOT = Path(__file__).resolve().parents[2]

DEMO = ROOT / "datasets" / "firms_demo_synthetic.csv"


@pytest.fixture(scope="module")
def firms() -> pd.DataFrame:
    return pd.read_csv(
        DEMO,
        dtype={"true_unit_code": str, "isic_division": str},
        keep_default_na=False,
        na_values={"gps_lat": [""], "gps_lon": [""]},
    )


def test_committed_file_is_what_the_generator_writes():
    frame = gen.make_demo_firms(gen.DEFAULT_N, gen.DEFAULT_SEED)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%.6f")
    assert buffer.getvalue().encode("utf-8") == DEMO.read_bytes()


def test_size_is_a_parameter():
    small = gen.make_demo_firms(2_000, seed=1)
    planted = sum(int(round(count * 0.1)) for *_, count, _ in gen.RELATED)
    assert len(small) == 2_000 + planted  # n firms, then the planted related sectors
    assert small["firm_id"].is_unique


def test_labelled_synthetic():
    assert "synthetic" in DEMO.name
    assert "synthetic" in (ROOT / "datasets" / "SOURCES.md").read_text().lower()


def test_columns(firms):
    for column in [
        "firm_id",
        "name",
        "isic_section",
        "isic_division",
        "sector",
        "sector_label_en",
        "sector_label_mn",
        "employees",
        "founded",
        "exporter",
        "foreign_owned",
        "address",
        "gps_lat",
        "gps_lon",
        "true_aimag_code",
        "true_aimag",
        "true_soum",
        "true_lat",
        "true_lon",
    ]:
        assert column in firms.columns, column
    assert firms["firm_id"].is_unique
    assert firms["name"].str.contains(r"ХХК|ХК|ТӨҮГ").mean() > 0.9


def test_geography(firms):
    assert firms["true_aimag_code"].nunique() == 22
    ub = (firms["true_aimag_code"] == "MN-1").mean()
    assert 0.50 <= ub <= 0.75
    # Darkhan-Uul and Orkhon come next after the capital
    counts = firms["true_aimag_code"].value_counts()
    assert set(counts.index[1:4]) & {"MN-037", "MN-035"}
    # never stacked on one point
    assert firms[["true_lat", "true_lon"]].duplicated().mean() < 0.001


def test_sectors(firms):
    assert firms["sector"].nunique() >= 12


def test_employment_is_heavy_tailed(firms):
    e = firms["employees"]
    assert (e < 10).mean() > 0.7
    assert e.max() >= 1000
    assert e.mean() > 2 * e.median()


def test_address_styles_and_gps(firms):
    assert firms["true_address_style"].nunique() >= 8
    assert (firms["address"].str.strip() == "").sum() > 0
    gps = firms["gps_lat"].notna()
    assert 0.2 < gps.mean() < 0.5
    assert (firms["true_gps_status"] == "swapped").sum() > 0
    assert (firms["true_gps_status"] == "outside").sum() > 0


def _lq(firms, mask, sector):
    """Employment location quotient of ``sector`` in the firms selected by ``mask``."""
    area = firms[mask]
    local = area.loc[area["sector"] == sector, "employees"].sum() / area["employees"].sum()
    national = firms.loc[firms["sector"] == sector, "employees"].sum() / firms["employees"].sum()
    return local / national


@pytest.mark.parametrize("sector, aimag, district, minimum", gen.promised_concentrations())
def test_named_clusters_are_concentrations(firms, sector, aimag, district, minimum):
    mask = firms["true_aimag_code"] == aimag
    if district:  # district names repeat as soums elsewhere (Сүхбаатар, Баянгол)
        mask &= firms["true_soum"] == district
    value = _lq(firms, mask, sector)
    assert value >= minimum, f"{sector} in {aimag}/{district}: LQ {value:.2f}"


def test_clusters_have_their_own_ages(firms):
    """Some named clusters are young and growing, some old (issue #18)."""
    from geo.timeline import age_profile

    assert len(gen.CLUSTER_AGES) == len(gen.CLUSTERS)
    assert set(gen.CLUSTER_AGES) == {"old", "growing", "young"}
    assert firms["founded"].between(1990, gen.REGISTER_YEAR).all()

    def median_founded(sector: str, soum: str) -> float:
        hit = firms[(firms["sector"] == sector) & (firms["true_soum"] == soum)]
        return float(hit["founded"].median())

    assert median_founded("ict", "Сүхбаатар") >= 2020  # young
    assert median_founded("construction_materials", "Өргөн") >= 2020
    assert median_founded("mining", "Баян-Өндөр") <= 2006  # Erdenet: old
    assert median_founded("cashmere_wool_leather", "Хан-Уул") <= 2006
    assert 2012 <= median_founded("mining", "Ханбогд") <= 2020  # growing since 2005
    # places as planted: the named clusters of each kind are told apart by their ages
    planted = firms.assign(cluster=-1)
    for position, (sector, _, soum, *_rest) in enumerate(gen.CLUSTERS):
        hit = (planted["sector"] == sector) & (planted["true_soum"] == soum)
        planted.loc[hit & (planted["cluster"] < 0), "cluster"] = position
    table = age_profile(planted, "cluster", year=gen.REGISTER_YEAR)
    classes = dict(zip(table["cluster"], table["age_class"]))
    young = [classes[i] for i, a in enumerate(gen.CLUSTER_AGES) if a == "young"]
    old = [classes[i] for i, a in enumerate(gen.CLUSTER_AGES) if a == "old"]
    assert young.count("emerging") >= len(young) // 2
    assert old.count("mature") >= len(old) - 2
