from ui.i18n import LANGUAGES, STRINGS, t


def test_every_string_in_both_languages():
    for key, entry in STRINGS.items():
        for lang in LANGUAGES:
            assert entry.get(lang, "").strip(), f"{key} has no {lang} text"


def test_fallback():
    assert t("no-such-key", "mn") == "no-such-key"
    assert t("page_map", "mn") != t("page_map", "en")


def test_geocoding_notes_in_mongolian_with_mongolian_aimag_names():
    from ui.i18n import note_text

    names = {"Dornod": "Дорнод", "Khentii": "Хэнтий", "Govi-Altai": "Говь-Алтай"}
    note = "soum name Хэрлэн exists in Dornod, Khentii: Хэрлэн (Dornod); Хэрлэн (Khentii)"
    text = note_text(note, "mn", names)
    assert text == "Хэрлэн нэртэй сум Дорнод, Хэнтий-д бий: Хэрлэн (Дорнод); Хэрлэн (Хэнтий)"
    assert note_text(note, "en", names) == note
    assert note_text("aimag only; fuzzy match", "mn") == "зөвхөн аймаг хүртэл; ойролцоо таарсан"
    assert note_text("something new", "mn") == "something new"     # kept, never lost
