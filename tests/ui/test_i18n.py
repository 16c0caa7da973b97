from ui.i18n import LANGUAGES, STRINGS, t


def test_every_string_in_both_languages():
    for key, entry in STRINGS.items():
        for lang in LANGUAGES:
            assert entry.get(lang, "").strip(), f"{key} has no {lang} text"


def test_fallback():
    assert t("no-such-key", "mn") == "no-such-key"
    assert t("page_map", "mn") != t("page_map", "en")
