from geo.text import cyrillic_key, has_cyrillic, latin_skeleton, transliterate


def test_transliterate():
    assert transliterate("Өвөрхангай") == "Övörkhangai"
    assert transliterate("Цэцэрлэг") == "Tsetserleg"
    assert transliterate("Есөнзүйл") == "Yesönzüil"
    assert transliterate("abc 12") == "abc 12"


def test_cyrillic_key_folds_case_and_punctuation():
    assert cyrillic_key("Баян-Өлгий") == cyrillic_key("баян өлгий") == "баянөлгий"
    assert cyrillic_key("Ёрөө") == cyrillic_key("Ерөө")


def test_skeleton_merges_romanisations():
    groups = [
        [
            "Өвөрхангай",
            "Övörkhangai",
            "Uvurkhangai",
            "Ovorkhangai",
            "Övörhangay",
            "Оворхангай",
            "O'vorxangai",
        ],
        ["Цэцэрлэг", "Tsetserleg", "Cecerleg"],
        ["Завхан", "Zavkhan", "Dzavhan", "Zavhan"],
        ["Говь-Алтай", "Govi-Altai", "Gobi-Altai", "Govĭ-Altay"],
        ["Хөвсгөл", "Khövsgöl", "Hovsgol", "Xovsgol", "Ховсгол"],
    ]
    for group in groups:
        assert len({latin_skeleton(n) for n in group}) == 1, group


def test_skeleton_keeps_sh_and_ch_apart_from_s_and_ts():
    assert latin_skeleton("Шарын гол") != latin_skeleton("Сарын гол")
    assert latin_skeleton("Чандмань") != latin_skeleton("Цандмань")


def test_has_cyrillic():
    assert has_cyrillic("УБ, ХУД")
    assert not has_cyrillic("Ulaanbaatar")
