"""Address forms: case endings on abbreviations, aimag words in details, bag and khoroo."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.address import parse_address, place_key
from geo.geocode import Geocoder


@pytest.fixture(scope="module")
def geocoder(index):
    return Geocoder(index)


def one(geocoder, address):
    return geocoder.geocode(pd.DataFrame({"address": [address]})).iloc[0]


@pytest.mark.parametrize(
    "address, district",
    [
        ("ХУД-ийн 3-р хороо", "Хан-Уул"),
        ("УБ, СБД-ын 1-р хороо", "Сүхбаатар"),
        ("БЗД-д байрлах", "Баянзүрх"),
        ("СХД-т", "Сонгинохайрхан"),
        ("БГД-ийн 20-р хороо", "Баянгол"),
        ("ЧД-ийн 1-р хороо", "Чингэлтэй"),
        ("ХУД -ийн 7-р хороо", "Хан-Уул"),  # after a space
        ("СБД ын 4-р хороо", "Сүхбаатар"),
        ("ХУДийн 7-р хороо", "Хан-Уул"),  # attached without a hyphen
        ("СХДийн 12-р хороо", "Сонгинохайрхан"),
        ("KhUD-iin 18-r khoroo", "Хан-Уул"),  # Latin
        ("SBD-iin 3-r khoroo", "Сүхбаатар"),
        ("BZD-d, 5-r khoroo", "Баянзүрх"),
        ("SKhD-iin 10-r khoroo", "Сонгинохайрхан"),
        ("SHD, Tolgoit, 5-r horoo", "Сонгинохайрхан"),
        ("ChD-iin 2-r khoroo", "Чингэлтэй"),
        ("УБ-ын БЗД-ийн 4-р хороо", "Баянзүрх"),
    ],
)
def test_district_abbreviations_with_case_endings(geocoder, address, district):
    row = one(geocoder, address)
    assert row["geocode_status"] == "matched", row["geocode_note"]
    assert (row["aimag_code"], row["soum"], row["precision"]) == ("MN-1", district, "district")


@pytest.mark.parametrize(
    "address, aimag, soum",
    [
        ("Орхон аймаг, Жаргалант сум, 5-р баг, Төв -12-р гудамж", "MN-035", "Жаргалант"),
        ("Орхон аймаг, Жаргалант сум, Төв гудамж", "MN-035", "Жаргалант"),
        ("Хэнтий гудамж, Дархан сум, Хэнтий аймаг", "MN-039", "Дархан"),
        ("Булган аймаг, Булган сум, Орхон -5-р гудамж", "MN-067", "Булган"),
        ("Сэлэнгэ аймаг, Сүхбаатар сум, Орхон гудамж", "MN-049", "Сүхбаатар"),
        ("Өвөрхангай аймаг Хархорин сум 3-р баг Төв гудамж", "MN-055", "Хархорин"),
        ("Баянгол дүүрэг, 3-р хороо, Архангай хороолол", "MN-1", "Баянгол"),
        ("Сүхбаатар дүүрэг, 1-р хороо, Төв шуудан", "MN-1", "Сүхбаатар"),
        ("ЧД, 5-р хороо, Бөмбөгөр худалдааны төв", "MN-1", "Чингэлтэй"),
        ("Хан-Уул дүүрэг, 11-р хороо, Улиастай", "MN-1", "Хан-Уул"),
        ("СХД 32-р хороо, Сонгино", "MN-1", "Сонгинохайрхан"),
        ("Дорноговь аймаг, Өргөн сум", "MN-063", "Өргөн"),  # not "өргөн чөлөө"
    ],
)
def test_aimag_words_in_details_do_not_override_the_stated_place(geocoder, address, aimag, soum):
    row = one(geocoder, address)
    assert row["geocode_status"] == "matched", row["geocode_note"]
    assert (row["aimag_code"], row["soum"]) == (aimag, soum)


@pytest.mark.parametrize(
    "address, aimag, soum",
    [
        ("Дорноговийн Замын-Үүд сум", "MN-063", "Замын-Үүд"),
        ("Сэлэнгийн Шаамар сум", "MN-049", "Шаамар"),
        ("Улаанбаатарын Хан-Уулын 3-р хороо", "MN-1", "Хан-Уул"),
        ("Khovsgol aimag, Tsagaannuur soum", "MN-041", "Цагаан нуур"),
        ("Orkhon aimag, Bayan-Undur soum", "MN-035", "Баян-Өндөр"),
        ("Ulaanbaatar 15160", "MN-1", "Чингэлтэй"),  # postal code of a district
        ("Hovsgol, Rinchinlhumbe", "MN-041", "Ренчинлхүмбэ"),
    ],
)
def test_other_forms(geocoder, address, aimag, soum):
    row = one(geocoder, address)
    assert row["geocode_status"] == "matched", row["geocode_note"]
    assert (row["aimag_code"], row["soum"]) == (aimag, soum)


def test_a_contradiction_stated_on_both_sides_stays_ambiguous(geocoder):
    assert one(geocoder, "Сэлэнгэ аймаг, Дархан сум")["geocode_status"] == "ambiguous"
    assert one(geocoder, "Өмнөговь аймаг, Мөрөн сум")["geocode_status"] == "ambiguous"


@pytest.mark.parametrize(
    "address, subdivision",
    [
        ("Улаанбаатар хот, Хан-Уул дүүрэг, 3-р хороо, 15-р байр, 45 тоот", "3"),
        ("УБ, ХУД-ийн 11-р хороо", "11"),
        ("Bayanzurkh district, 26th khoroo", "26"),
        ("KhUD-iin 18-r khoroo", "18"),
        ("Өмнөговь аймаг, Ханбогд сум, 2-р баг", "2"),
        ("Дорнод аймаг Матад сум 1 баг", "1"),
        ("Эрдэнэт хот, Номин баг, 12-р байр", "Номин"),
        ("khoroo 7, Chingeltei", "7"),
        ("Өмнөговь аймаг, Ханбогд сум", None),
    ],
)
def test_the_bag_or_khoroo_is_kept(address, subdivision):
    assert parse_address(address).subdivision == subdivision


def test_bag_khoroo_and_soum_source_columns(geocoder):
    frame = pd.DataFrame(
        {
            "address": [
                "УБ, ХУД-ийн 3-р хороо",
                "Ханбогд сум, Өмнөговь, 2-р баг",
                "",
                "Улаанбаатар",
            ],
            "lat": [None, None, 47.92, None],
            "lon": [None, None, 106.92, None],
        }
    )
    out = geocoder.geocode(frame)
    assert out["bag_khoroo"].tolist()[:2] == ["3", "2"]
    assert out["soum_source"].tolist()[:2] == ["address", "address"]
    assert out.loc[2, "precision"] == "point"
    assert out.loc[2, "soum_source"] == "nearest centre"
    assert out.loc[3, "soum_source"] == ""  # aimag only: no soum
    assert pd.isna(out.loc[3, "bag_khoroo"])


def test_details_share_a_key():
    assert place_key("Орхон аймаг, Жаргалант сум, 5-р баг, Төв -12-р гудамж") == place_key(
        "Орхон аймаг, Жаргалант сум, 2-р баг"
    )
    assert place_key("Ulaanbaatar-17011, Khan-Uul") == "ulaanbaatar khan-uul #17011"
    assert place_key("Шинэ зах, 12 тоот") == "шинэ зах"  # a market is a place
