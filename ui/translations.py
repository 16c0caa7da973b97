"""The translation catalogues, for translators and maintainers: ``python -m ui.translations``.

The app's strings are gettext catalogues, one per language, kept with Babel:

* ``ui/locale/<lang>/LC_MESSAGES/messages.po``: ``msgid`` is the key the code asks for
  (``t("page_map", lang)``), ``msgstr`` the text. English (``en``) is the source language:
  the Mongolian catalogue carries each English text as a comment for the translator, so
  that Poedit shows it and Weblate can use ``en`` as the monolingual base file.
* ``ui/locale/messages.pot``: the template (every key, its English text as a comment, and
  where the code uses it, found by Babel's extractor).
* ``ui/locale/<lang>/essays/<name>.md``: the long Markdown texts (the Methods page), one
  file per language; the code asks for them as ``t("<name>_md", lang)``.
* ``messages.mo``: compiled catalogues (``compile``; ``make install`` and
  ``make translations`` do it). They are not committed; without a current ``.mo`` the app
  reads the ``.po`` itself.

Commands::

    python -m ui.translations add KEY --en "Text" --mn "Текст"   # a new string (or essay: KEY_md)
    python -m ui.translations merge FILE.py    # every key of a STRINGS = {...} dict in FILE.py
    python -m ui.translations check            # fails on anything untranslated
    python -m ui.translations extract          # messages.pot, and keys the code uses but lacks
    python -m ui.translations compile          # .po -> .mo

``make translations`` runs extract, check and compile. ``merge`` takes another branch's
``ui/i18n.py`` (``git show BRANCH:ui/i18n.py > /tmp/theirs.py``) from before the catalogues
and adds the keys the catalogues do not have; it runs that file, so give it only the
project's own code.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import datetime as _dt
import re
import sys
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ROOT = LOCALE_DIR.parents[1]
DOMAIN = "messages"
#: The app's languages; the first is the source language.
LANGUAGES = ("en", "mn")
#: Keys ending so are Markdown essays (files), not catalogue entries.
ESSAY_SUFFIX = "_md"
#: Where the code that asks for strings is (for ``extract``).
SOURCES = ("app.py", "pages", "ui")
_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)?(?:[:!][^{}]*)?\}(?!\})")
_FIXED_DATE = _dt.datetime(2026, 12, 2, tzinfo=_dt.UTC)


def po_path(lang: str) -> Path:
    """The catalogue of ``lang``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    """The compiled catalogue of ``lang``."""
    return po_path(lang).with_suffix(".mo")


def essay_path(lang: str, key: str) -> Path:
    """The Markdown file of the essay ``key`` (``<name>_md``) in ``lang``."""
    return LOCALE_DIR / lang / "essays" / f"{key.removesuffix(ESSAY_SUFFIX)}.md"


def essay_keys(lang: str = "en") -> list[str]:
    """The essays' keys, from the files of ``lang``."""
    return sorted(p.stem + ESSAY_SUFFIX for p in (LOCALE_DIR / lang / "essays").glob("*.md"))


def placeholders(text: str) -> list[str]:
    """The ``str.format`` fields of ``text``, sorted (``{n}``, ``{name}``, ``{x:.0%}``)."""
    return sorted(
        m.group(0).split(":")[0].split("!")[0].strip("{}") for m in _PLACEHOLDER.finditer(text)
    )


# -- reading and writing ------------------------------------------------------------
def load(lang: str) -> Catalog:
    """The catalogue of ``lang`` (an empty one if it does not exist yet)."""
    path = po_path(lang)
    if not path.exists():
        return Catalog(
            locale=lang,
            domain=DOMAIN,
            project="Cluster Atlas Mongolia",
            creation_date=_FIXED_DATE,
            revision_date=_FIXED_DATE,
            fuzzy=False,
        )
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def save(lang: str, catalog: Catalog) -> None:
    """Write the catalogue of ``lang`` (entries in the order they were added)."""
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(
            handle,
            catalog,
            width=100,
            sort_output=False,
            ignore_obsolete=True,
            include_previous=False,
        )


def texts(lang: str) -> dict[str, str]:
    """Key -> text of ``lang``: from the compiled ``.mo`` when it is newer than the ``.po``,
    else from the ``.po`` (fuzzy and empty entries left out)."""
    po, mo = po_path(lang), mo_path(lang)
    if not po.exists():
        return {}
    fresh = mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime
    with (mo if fresh else po).open("rb") as handle:
        catalog = read_mo(handle) if fresh else read_po(handle)
    return {
        str(m.id): str(m.string)
        for m in catalog
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }


def _put(
    catalogs: Mapping[str, Catalog],
    key: str,
    text_by_lang: Mapping[str, str],
    *,
    replace: bool,
    comment: str | None,
) -> bool:
    missing = [lang for lang in LANGUAGES if not str(text_by_lang.get(lang, "")).strip()]
    if missing:
        raise ValueError(f"{key}: no text in {', '.join(missing)}")
    if key.endswith(ESSAY_SUFFIX):
        if essay_path(LANGUAGES[0], key).exists() and not replace:
            return False
        for lang in LANGUAGES:
            path = essay_path(lang, key)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text_by_lang[lang], encoding="utf-8")
        return True
    if key in catalogs[LANGUAGES[0]] and not replace:
        return False
    english = text_by_lang[LANGUAGES[0]]
    for lang, catalog in catalogs.items():
        notes = [comment] if comment else []
        if lang != LANGUAGES[0]:
            notes.append(f"English: {english}")
        text = text_by_lang[lang]
        if key in catalog:
            message = catalog[key]
            message.string = text
            message.auto_comments = notes
        else:
            catalog.add(key, text, auto_comments=notes)
    return True


def add(
    key: str, text_by_lang: Mapping[str, str], *, replace: bool = False, comment: str | None = None
) -> bool:
    """Add a string (or, for ``<name>_md``, an essay) in every language.

    Returns False, changing nothing, when the key exists and ``replace`` is false.
    Raises ValueError when a language is missing or empty.
    """
    catalogs = {lang: load(lang) for lang in LANGUAGES}
    changed = _put(catalogs, key, text_by_lang, replace=replace, comment=comment)
    if changed and not key.endswith(ESSAY_SUFFIX):
        for lang, catalog in catalogs.items():
            save(lang, catalog)
    return changed


def merge(strings: Mapping[str, Mapping[str, str]]) -> tuple[list[str], list[str]]:
    """Add every key of ``strings`` (key -> {lang: text}) that the catalogues lack.

    Returns the keys added and the keys present with another text (left as they are).
    """
    catalogs = {lang: load(lang) for lang in LANGUAGES}
    english = catalogs[LANGUAGES[0]]
    added, differing = [], []
    for key, entry in strings.items():
        if key.endswith(ESSAY_SUFFIX):
            path = essay_path(LANGUAGES[0], key)
            current = path.read_text(encoding="utf-8") if path.exists() else None
        else:
            current = str(english[key].string) if key in english else None
        if current is not None:
            if current != entry.get(LANGUAGES[0]):
                differing.append(key)
            continue
        _put(catalogs, key, entry, replace=False, comment=None)
        added.append(key)
    for lang, catalog in catalogs.items():
        save(lang, catalog)
    return added, differing


# -- checks, extraction, compilation ---------------------------------------------------
def check() -> list[str]:
    """Every problem of the catalogues and essays, one line each (none: all translated).

    A key of any catalogue must have a non-empty, non-fuzzy text in every language, with
    the same ``{placeholders}``; every essay must exist in every language.
    """
    problems: list[str] = []
    catalogs = {lang: load(lang) for lang in LANGUAGES}
    keys: dict[str, None] = {}
    for catalog in catalogs.values():
        keys.update((str(m.id), None) for m in catalog if m.id)
    for key in keys:
        found = {}
        for lang, catalog in catalogs.items():
            message = catalog.get(key)
            if message is None or not str(message.string or "").strip():
                problems.append(f"{key}: untranslated in {lang}")
            elif message.fuzzy:
                problems.append(f"{key}: fuzzy (not yet checked) in {lang}")
            else:
                found[lang] = placeholders(str(message.string))
        if len({tuple(v) for v in found.values()}) > 1:
            problems.append(f"{key}: placeholders differ: {found}")
    essays: dict[str, None] = {}
    for lang in LANGUAGES:
        essays.update((k, None) for k in essay_keys(lang))
    for key in essays:
        for lang in LANGUAGES:
            path = essay_path(lang, key)
            if not path.exists() or not path.read_text(encoding="utf-8").strip():
                problems.append(f"{key}: essay untranslated in {lang} ({path.relative_to(ROOT)})")
    return problems


def code_keys(sources: Iterable[str] = SOURCES) -> dict[str, list[tuple[str, int]]]:
    """Keys the code passes literally to ``t`` or ``plural``, with where (Babel's extractor)."""
    from babel.messages.extract import extract_from_file

    found: dict[str, list[tuple[str, int]]] = {}
    files: list[Path] = []
    for source in sources:
        path = ROOT / source
        files.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    for path in files:
        # keys built at run time (t(f"ind_{name}", lang)) cannot be extracted: Babel says
        # so for each; that is expected here
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            messages = list(
                extract_from_file(
                    "python", str(path), keywords={"t": (1,), "plural": (1,), "tr": (1,)}
                )
            )
        for line, message, _comments, _context in messages:
            # a prefix ("ind_" + name) is not a key
            if isinstance(message, str) and re.fullmatch(r"[a-z][a-z0-9_]*[a-z0-9]", message):
                found.setdefault(message, []).append((str(path.relative_to(ROOT)), line))
    return found


def extract() -> list[str]:
    """Write ``messages.pot`` (every key, its English text, where the code asks for it) and
    return the keys the code asks for literally that no catalogue or essay has."""
    english = load(LANGUAGES[0])
    used = code_keys()
    template = Catalog(
        domain=DOMAIN,
        project="Cluster Atlas Mongolia",
        creation_date=english.creation_date,
        revision_date=english.creation_date,
        fuzzy=False,
    )
    for message in english:
        if not message.id:
            continue
        key = str(message.id)
        template.add(
            key, "", locations=used.get(key, []), auto_comments=[f"English: {message.string}"]
        )
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, width=100, sort_output=False)
    known = {str(m.id) for m in english} | set(essay_keys())
    return sorted(k for k in used if k not in known)


def compile_all() -> list[Path]:
    """Compile every ``.po`` to its ``.mo``."""
    written = []
    for lang in LANGUAGES:
        catalog = load(lang)
        with mo_path(lang).open("wb") as handle:
            write_mo(handle, catalog)
        written.append(mo_path(lang))
    return written


def _strings_of(path: Path) -> dict[str, dict[str, str]]:
    namespace: dict[str, object] = {"__name__": "merged_strings", "__file__": str(path)}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # noqa: S102
    strings = namespace.get("STRINGS")
    if not isinstance(strings, Mapping):
        raise SystemExit(f"{path}: no STRINGS = {{...}} dictionary")
    return {str(k): dict(v) for k, v in strings.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ui.translations", description="The app's translation catalogues."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser(
        "add", help="add a string (or an essay, KEY ending in _md) in every language"
    )
    a.add_argument("key")
    for lang in LANGUAGES:
        a.add_argument(
            f"--{lang}",
            required=True,
            help=f"the text in {lang} (for an essay: a Markdown file's path)",
        )
    a.add_argument("--replace", action="store_true", help="replace an existing key's text")
    a.add_argument("--comment", help="a note for the translators")
    m = sub.add_parser("merge", help="add the keys of a STRINGS dict in a Python file")
    m.add_argument("file", type=Path)
    sub.add_parser("check", help="fail on untranslated, fuzzy or inconsistent strings")
    sub.add_parser("extract", help="write messages.pot; list keys the code uses but lacks")
    sub.add_parser("compile", help="compile the .po catalogues to .mo")
    args = parser.parse_args(argv)
    if args.command == "add":
        values = {lang: getattr(args, lang) for lang in LANGUAGES}
        if args.key.endswith(ESSAY_SUFFIX):
            values = {lang: Path(v).read_text(encoding="utf-8") for lang, v in values.items()}
        if not add(args.key, values, replace=args.replace, comment=args.comment):
            print(f"{args.key} exists already (use --replace to change it)", file=sys.stderr)
            return 1
        print(f"added {args.key}")
    elif args.command == "merge":
        added, differing = merge(_strings_of(args.file))
        print(f"added {len(added)} keys: {', '.join(added) or '-'}")
        if differing:
            print(
                f"kept {len(differing)} keys whose text differs there: {', '.join(differing)}",
                file=sys.stderr,
            )
    elif args.command == "check":
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            return 1
        print("every string translated in " + ", ".join(LANGUAGES))
    elif args.command == "extract":
        missing = extract()
        print(f"wrote {LOCALE_DIR.relative_to(ROOT)}/{DOMAIN}.pot")
        if missing:
            print(
                "keys the code uses that no catalogue has: " + ", ".join(missing), file=sys.stderr
            )
            return 1
    elif args.command == "compile":
        for path in compile_all():
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
