import pytest

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
    assert note_text("something new", "mn") == "something new"  # kept, never lost


# -- the gettext catalogues (ui/locale) ---------------------------------------------------
def test_nothing_is_untranslated_in_either_language():
    """Every key of either catalogue has a checked text in both, with the same
    placeholders; every essay exists in both (python -m ui.translations check)."""
    from ui import translations

    assert translations.check() == []


def test_every_key_the_code_asks_for_exists():
    from ui import translations

    used = translations.code_keys()
    assert len(used) > 200
    missing = sorted(k for k in used if k not in STRINGS)
    assert missing == []


def test_essays_are_markdown_files_per_language():
    from ui import translations

    essays = translations.essay_keys()
    assert essays == [
        "demo_md",
        "methods_boundaries_md",
        "methods_clusters_md",
        "methods_ecosystem_md",
        "methods_geocoding_md",
        "methods_md",
        "methods_significance_md",
        "methods_stages_md",
        "methods_stats_md",
        "methods_time_md",
    ]
    for key in essays:
        assert t(key, "en") != t(key, "mn") and t(key, "en").strip()
    assert "{export_share:.0%}" in t("methods_stages_md", "mn")
    assert "{emerging_share:.0%}" in t("methods_time_md", "mn")


def test_counts_are_written_in_the_languages_way():
    from ui.i18n import plural

    from geo.formats import format_number

    assert (
        t("too_many_points", "en")
        .format(n=format_number(61234, 0, "en"), limit="60,000")
        .startswith("61,234 firms")
    )
    assert (
        t("too_many_points", "mn")
        .format(n=format_number(61234, 0, "mn"), limit="60 000")
        .startswith("61 234 аж ахуйн нэгж")
    )
    assert plural("n_rows", 1, "en") == "1 row" and plural("n_rows", 7, "mn") == "7 мөр"


def test_add_check_merge_compile(tmp_path, monkeypatch):
    from babel.messages.mofile import read_mo

    from ui import translations as tr

    monkeypatch.setattr(tr, "LOCALE_DIR", tmp_path)
    assert tr.add("hello", {"en": "Hello, {name}", "mn": "Сайн уу, {name}"})
    assert not tr.add("hello", {"en": "Hi", "mn": "Сайн уу"})  # kept
    assert tr.add("about_md", {"en": "# About\n", "mn": "# Тухай\n"})
    assert tr.texts("mn") == {"hello": "Сайн уу, {name}"}
    assert (tmp_path / "mn" / "essays" / "about.md").read_text() == "# Тухай\n"
    assert "#. English: Hello, {name}" in tr.po_path("mn").read_text()
    assert tr.check() == []
    added, differing = tr.merge(
        {"bye": {"en": "Bye", "mn": "Баяртай"}, "hello": {"en": "Hello!", "mn": "Сайн уу!"}}
    )
    assert added == ["bye"] and differing == ["hello"]
    with pytest.raises(ValueError, match="no text in mn"):
        tr.add("half", {"en": "Half", "mn": " "})
    catalog = tr.load("mn")
    catalog["bye"].string = ""
    tr.save("mn", catalog)
    assert tr.check() == ["bye: untranslated in mn"]
    catalog["bye"].string = "Баяртай, {who}"
    tr.save("mn", catalog)
    assert tr.check() == ["bye: placeholders differ: {'en': [], 'mn': ['who']}"]
    tr.compile_all()
    with tr.mo_path("en").open("rb") as handle:
        assert {m.id: m.string for m in read_mo(handle) if m.id}["bye"] == "Bye"
    assert tr.texts("en")["bye"] == "Bye"  # read from the .mo


def test_the_command_line_adds_and_checks(tmp_path, monkeypatch, capsys):
    from ui import translations as tr

    monkeypatch.setattr(tr, "LOCALE_DIR", tmp_path)
    assert tr.main(["add", "greeting", "--en", "Hi", "--mn", "Сайн уу"]) == 0
    assert tr.main(["add", "greeting", "--en", "Hi", "--mn", "Сайн уу"]) == 1
    assert tr.main(["check"]) == 0
    old = tmp_path / "old_i18n.py"
    old.write_text('STRINGS = {"x": {"mn": "Х", "en": "X"}}\n', encoding="utf-8")
    assert tr.main(["merge", str(old)]) == 0
    assert tr.texts("mn")["x"] == "Х"
