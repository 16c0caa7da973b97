"""geo.mojibake: clearly damaged text repaired per cell; nothing else touched."""

from __future__ import annotations

import pandas as pd
import pytest

import ftfy.bad_codecs  # noqa: F401  (the sloppy-windows codecs, to damage text as old systems did)
from geo.io import load_demo_firms
from geo.mojibake import repair_frame, repair_text

WORDS = [
    "Гамма-Интэрнэшнл ХХК",
    "Өмнөговь аймаг, Ханбогд сум",
    "Хүслэн-Барилга ХХК",
    "Улаанбаатар, СБД, 1-р хороо",
    "Эрдэнэт Сүү",
    "Хан-Уул д., 25-р хороо",
    "Ханбогд",
    "Сүх",
]


@pytest.mark.parametrize("codec", ["latin-1", "sloppy-windows-1252", "sloppy-windows-1251"])
@pytest.mark.parametrize("word", WORDS)
def test_utf8_misread_is_repaired(word, codec):
    damaged = word.encode("utf-8").decode(codec)
    assert damaged != word
    fixed, misread = repair_text(damaged)
    assert fixed == word
    # Latin-1 and Windows-1252 show most such bytes alike: either name is true
    assert misread in ({"windows-1251"} if codec.endswith("1251") else {"latin-1", "windows-1252"})


@pytest.mark.parametrize(
    "text",
    [
        "Café Ñandú",
        "Ðóñ",
        "naïve façade",
        "São Paulo",
        "Mötley Crüe",
        "Â",
        "Œuvre",
        "РЎ",
        "Ресторан Ёлка",
        "Сэлэнгэ — Сүхбаатар",
        "ÆØÅ",
        "Straße",
        "“quoted”",
        "Nº 5",
        "Рђ",
        "СЂ",
        "Tōkyō",
        "",
        "12 345",
        "=SUM(A1)",
        "ÐÐ°Ð¼Ð¼Ð°",  # damaged beyond repair (control bytes lost): left as it is
    ],
)
def test_what_is_not_clearly_mojibake_is_left_alone(text):
    assert repair_text(text) == (text, None)


def test_no_cell_of_the_demo_register_is_touched():
    demo = load_demo_firms()[["name", "address", "sector_label_mn", "true_soum"]].astype(str)
    fixed, repairs = repair_frame(demo)
    assert repairs == [] and fixed is demo


def test_a_frame_is_repaired_cell_by_cell_with_rows_and_columns():
    frame = pd.DataFrame(
        {
            "name": ["Сүх ХХК", "Гамма ХХК".encode().decode("latin-1"), "Café Ñandú"],
            "address": ["Ханбогд сум".encode().decode("sloppy-windows-1251"), "", "x"],
            "n": [1, 2, 3],
        }
    )
    fixed, repairs = repair_frame(frame)
    assert fixed["name"].tolist() == ["Сүх ХХК", "Гамма ХХК", "Café Ñandú"]
    assert fixed["address"].tolist() == ["Ханбогд сум", "", "x"]
    assert [(r.row, r.column, r.misread_as) for r in repairs] == [
        (1, "address", "windows-1251"),
        (2, "name", "latin-1"),
    ]
    assert frame.loc[1, "name"] != "Гамма ХХК"  # the input is not modified
    assert fixed["n"].tolist() == [1, 2, 3]
