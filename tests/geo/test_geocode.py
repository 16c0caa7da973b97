"""Geocoding rules, hand-written cases, and accuracy on the demo registry."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from geo import io
from geo.__main__ import main
from geo.geocode import Geocoder, parse_coordinate, place_key


@pytest.fixture(scope="module")
def geocoder(index):
    return Geocoder(index)


def one(geocoder, address, **cols):
    frame = pd.DataFrame({"address": [address], **{k: [v] for k, v in cols.items()}})
    return geocoder.geocode(frame).iloc[0]


@pytest.mark.parametrize(
    "address, aimag, soum, precision",
    [
        ("Өмнөговь аймаг, Ханбогд сум, 2-р баг", "MN-053", "Ханбогд", "soum"),
        ("Өмнөговь аймгийн Ханбогд сум", "MN-053", "Ханбогд", "soum"),
        ("2-р баг, Ханбогд сум, Өмнөговь аймаг", "MN-053", "Ханбогд", "soum"),
        ("Өмнөговь а., Ханбогд с.", "MN-053", "Ханбогд", "soum"),
        ("Khanbogd soum, Umnugovi aimag", "MN-053", "Ханбогд", "soum"),
        ("Hanbogd sum, Ömnögovi province", "MN-053", "Ханбогд", "soum"),
        ("Омноговь аймаг, Ханбогд сум", "MN-053", "Ханбогд", "soum"),  # Russian keyboard
        ("Өмнөговъ аймаг, Ханбгод сум", "MN-053", "Ханбогд", "soum"),  # typos
        (
            "Улаанбаатар хот, Хан-Уул дүүрэг, 3-р хороо, 15-р байр, 45 тоот",
            "MN-1",
            "Хан-Уул",
            "district",
        ),
        ("УБ, ХУД, 3-р хороо", "MN-1", "Хан-Уул", "district"),
        ("УБ, СБД, 1-р хороо", "MN-1", "Сүхбаатар", "district"),
        ("Улаанбаатар, БЗД", "MN-1", "Баянзүрх", "district"),
        ("Ulaanbaatar, Bayanzurkh district, 5-r khoroo", "MN-1", "Баянзүрх", "district"),
        ("Чингэлтэй д., 4-р хороо, Сөүлийн гудамж", "MN-1", "Чингэлтэй", "district"),
        ("Орхон аймаг, Эрдэнэт хот", "MN-035", "Баян-Өндөр", "soum"),
        ("Дорнод, Чойбалсан хот, 2-р баг", "MN-061", "Хэрлэн", "soum"),
        ("Хэнтий аймаг, Чингис хот", "MN-039", "Хэрлэн", "soum"),
        ("Ховд, Ховд хот", "MN-043", "Жаргалант", "soum"),
        ("Замын-Үүд сум", "MN-063", "Замын-Үүд", "soum"),
        ("Хархорин", "MN-055", "Хархорин", "soum"),
        ("46010, Ханбогд сум", "MN-053", "Ханбогд", "soum"),  # postal code
        ("Өвөрхангай аймаг", "MN-055", None, "aimag"),
    ],
)
def test_rules(geocoder, address, aimag, soum, precision):
    row = one(geocoder, address)
    assert row["geocode_status"] == "matched", row["geocode_note"]
    assert row["aimag_code"] == aimag
    assert (row["soum"] if pd.notna(row["soum"]) else None) == soum
    assert row["precision"] == precision
    assert np.isfinite(row["lat"]) and np.isfinite(row["lon"])


def test_shared_soum_name_without_aimag_is_ambiguous(geocoder):
    row = one(geocoder, "Хэрлэн сум, 3-р баг")
    assert row["geocode_status"] == "ambiguous"
    assert "Dornod" in row["geocode_note"] and "Khentii" in row["geocode_note"]
    assert np.isnan(row["lat"])


def test_soum_contradicting_its_aimag_is_reported(geocoder):
    row = one(geocoder, "Өмнөговь аймаг, Мөрөн сум")
    assert row["geocode_status"] == "ambiguous"
    assert "Мөрөн" in row["geocode_note"] and "Ömnögovi" in row["geocode_note"]
    assert np.isnan(row["lat"])


@pytest.mark.parametrize(
    "address", ["", "байхгүй", "N/A", "тодорхойгүй", "Paris, France", "хаяг өгөөгүй", "12345678"]
)
def test_garbage_is_unmatched(geocoder, address):
    row = one(geocoder, address)
    assert row["geocode_status"] == "unmatched"
    assert np.isnan(row["lat"])


def test_coordinates_validated(geocoder):
    frame = pd.DataFrame(
        {
            "address": ["", "", "", "Өмнөговь аймаг, Ханбогд сум"],
            "gps_lat": ["47.9186", "106.9170", "30.0", "47°55'07\"N"],
            "gps_lon": ["106.9170", "47.9186", "70.0", "106°55'01\"E"],
        }
    )
    out = geocoder.geocode(frame)
    assert out["precision"].tolist() == ["point", "point", "none", "point"]
    assert out.loc[1, "lat"] == pytest.approx(47.9186)
    assert "swapped" in out.loc[1, "geocode_note"]
    assert "outside Mongolia" in out.loc[2, "geocode_note"]
    assert out.loc[0, "aimag_code"] == "MN-1"
    assert "address names Ömnögovi" in out.loc[3, "geocode_note"]


def test_parse_coordinate():
    assert parse_coordinate("47.5") == 47.5
    assert parse_coordinate("47,5") == 47.5
    assert parse_coordinate("47°30'00\"") == pytest.approx(47.5)
    assert parse_coordinate("106 30 36 E") == pytest.approx(106.51)
    assert np.isnan(parse_coordinate("north"))
    assert np.isnan(parse_coordinate(""))


def test_manual_correction_reused(index):
    key = place_key("Цагаан-Уур сум, Ховсгол")
    g = Geocoder(index, corrections={key: "6710"})
    row = one(g, "Цагаан-Уур сум, Ховсгол, 5-р баг")
    assert row["geocode_note"] == "manual correction"
    assert row["soum"] == index.unit("6710")["name_mn"]


def test_every_row_in_order_and_input_untouched(geocoder):
    frame = pd.DataFrame({"address": ["x", "УБ, ХУД", "", "Ханбогд сум"]}, index=[10, 5, 7, 1])
    before = frame.copy()
    out = geocoder.geocode(frame)
    assert list(out.index) == [10, 5, 7, 1]
    pd.testing.assert_frame_equal(frame, before)


def test_accuracy_on_demo_registry(geocoder, units):
    firms = io.load_demo_firms().drop(columns=["gps_lat", "gps_lon"])
    out = geocoder.geocode(firms)
    shared = Counter(units["name_mn"])
    ambiguous_by_design = (firms["true_address_style"] == "soum_only") & firms["true_soum"].map(
        lambda s: shared[s] > 1
    )
    useless = firms["true_address_style"] == "useless"
    geocodable = ~useless & ~ambiguous_by_design
    aimag_ok = (out["aimag_code"] == firms["true_aimag_code"]).fillna(False).astype(bool)
    assert aimag_ok[geocodable].mean() >= 0.99
    finer = geocodable & (firms["true_address_style"] != "aimag_only")
    soum_ok = aimag_ok & (out["soum"] == firms["true_soum"]).fillna(False).astype(bool)
    assert soum_ok[finer].mean() >= 0.97
    assert (out.loc[ambiguous_by_design, "geocode_status"] != "matched").all()
    assert out.loc[useless, "lat"].isna().all()


def test_command_line(tmp_path, capsys):
    src = tmp_path / "firms.csv"
    pd.DataFrame(
        {"name": ['=HYPERLINK("x")', "B"], "address": ["Өмнөговь аймаг, Ханбогд сум", "Хэрлэн сум"]}
    ).to_csv(src, index=False)
    dst = tmp_path / "out.xlsx"
    assert main(["geocode", str(src), "-o", str(dst)]) == 0
    assert "1 matched, 1 ambiguous, 0 unmatched" in capsys.readouterr().out
    back = pd.read_excel(dst, dtype=str)
    assert back.loc[0, "aimag_code"] == "MN-053"
    assert back.loc[0, "name"].startswith("'=")


def test_command_line_bad_input(tmp_path, capsys):
    assert main(["geocode", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "o.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert main(["geocode", str(empty), "-o", str(tmp_path / "o.csv")]) == 2
