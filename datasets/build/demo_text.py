"""How the synthetic demo firms are written: their names and their addresses in every style a
Mongolian register holds (full and abbreviated Ulaanbaatar addresses, genitive and short
aimag forms, Latin in several romanisations, Russian-keyboard slips, typos, postal codes,
towns for their soums, useless entries). Used by ``make_demo_firms.py``; all of it synthetic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from geo.admin import AdminIndex, load_aimags, load_units
from geo.text import transliterate

if TYPE_CHECKING:
    from datasets.build.demo_model import Sector


#: Ulaanbaatar districts: population 2020 (weights of the background model)
#: and number of khoroos (ub_districts.csv, Ulaanbaatar city statistics).
UB_DISTRICTS = {
    "Багануур": (29_342, 5),
    "Багахангай": (4_463, 2),
    "Баянгол": (231_517, 34),
    "Баянзүрх": (367_679, 43),
    "Налайх": (40_063, 8),
    "Сонгинохайрхан": (323_198, 43),
    "Сүхбаатар": (149_069, 20),
    "Хан-Уул": (186_648, 25),
    "Чингэлтэй": (156_213, 24),
}
UB_ABBREV = {
    "Багануур": "БНД",
    "Багахангай": "БХД",
    "Баянгол": "БГД",
    "Баянзүрх": "БЗД",
    "Налайх": "НД",
    "Сонгинохайрхан": "СХД",
    "Сүхбаатар": "СБД",
    "Хан-Уул": "ХУД",
    "Чингэлтэй": "ЧД",
}
#: (aimag, soum) -> town, for the towns written instead of their soum; where each
#: town lies comes from the embedded data (geo.admin.AdminIndex.towns), not repeated here.
TOWN_OF = {
    place: town
    for town, place in AdminIndex(load_aimags(), load_units()).towns().items()
    if town
    in (
        "Эрдэнэт",
        "Чойбалсан",
        "Чингис",
        "Мандалговь",
        "Чойр",
        "Цэцэрлэг",
        "Ховд",
        "Алтай",
        "Дархан",
    )
}
STREETS = [
    "Чингисийн өргөн чөлөө",
    "Энхтайваны өргөн чөлөө",
    "Сөүлийн гудамж",
    "Их тойруу",
    "Токиогийн гудамж",
    "Замчдын гудамж",
    "Нарны зам",
    "Олимпийн гудамж",
]
NAME_WORDS = [
    "Алтан",
    "Хаан",
    "Монгол",
    "Номин",
    "Тэнгэр",
    "Эрдэнэ",
    "Гэрэгэ",
    "Шинэ",
    "Хөх",
    "Мөнх",
    "Сүлд",
    "Бадрах",
    "Говь",
    "Хангай",
    "Төгс",
    "Дэлгэр",
    "Ирээдүй",
    "Оргил",
    "Наран",
    "Од",
    "Хүслэн",
    "Тэмүүлэл",
    "Итгэл",
    "Соёмбо",
    "Богд",
    "Хас",
    "Шонхор",
    "Гурван",
    "Есөн",
    "Тал",
    "Мөрөн",
    "Уран",
    "Цэлмэг",
    "Билэг",
    "Анир",
    "Энх",
]
LATIN_STYLES = ("common", "mns", "plain", "russian")
USELESS = ["", "байхгүй", "N/A", "тодорхойгүй", "-", "?", "хаяг өгөөгүй", "0"]


def latin_variant(name_mn: str, style: str) -> str:
    """Romanise ``name_mn`` the way one of several registries would."""
    base = transliterate(name_mn)
    if style == "mns":  # MNS 5217 style: kh, ö, ü as they are
        return base
    if style == "plain":  # Uvurkhangai: ö, ü -> u
        return base.replace("ö", "u").replace("ü", "u").replace("Ö", "U").replace("Ü", "U")
    if style == "russian":  # Ovorkhangai / Khovsgol: ö -> o, ü -> u, kh -> h sometimes
        return base.replace("ö", "o").replace("ü", "u").replace("Ö", "O").replace("Ü", "U")
    return base.replace("ö", "o").replace("Ö", "O").replace("ü", "u").replace("Ü", "U")


def russian_keyboard(text: str) -> str:
    """Cyrillic typed on a Russian layout: ө -> о, ү -> у."""
    return text.replace("ө", "о").replace("Ө", "О").replace("ү", "у").replace("Ү", "У")


def typo(text: str, rng: np.random.Generator) -> str:
    """One dropped, doubled or swapped letter inside a word of 5+ letters."""
    if len(text) < 5:
        return text
    i = int(rng.integers(1, len(text) - 2))
    kind = int(rng.integers(0, 3))
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def firm_name(s: Sector, rng: np.random.Generator) -> str:
    """A synthetic firm name of sector ``s`` (words, then a legal form)."""
    r = rng.random()
    first = NAME_WORDS[int(rng.integers(len(NAME_WORDS)))]
    word = s.name_words[int(rng.integers(len(s.name_words)))]
    if r < 0.55:
        core = f"{first} {word}"
    elif r < 0.85:
        core = f"{first} {NAME_WORDS[int(rng.integers(len(NAME_WORDS)))]}"
    else:
        core = f"{first}-{word}"
    form = rng.random()
    suffix = (
        "ХХК"
        if form < 0.86
        else "ХК"
        if form < 0.90
        else "ТӨҮГ"
        if form < 0.92
        else "Хоршоо"
        if s.key in ("livestock", "crops", "meat_dairy")
        else "ХХК"
    )
    return f"{core} {suffix}"


def write_address(row, aimag_mn: str, rng: np.random.Generator) -> tuple[str, str]:
    """One address for a firm in unit ``row`` and the style it was written in."""
    r = rng.random()
    soum = row.name_mn
    if r < 0.015:
        return USELESS[int(rng.integers(len(USELESS)))], "useless"
    if row.aimag_code == "MN-1":
        khoroo = int(rng.integers(1, UB_DISTRICTS[soum][1] + 1))
        bair = int(rng.integers(1, 120))
        toot = int(rng.integers(1, 200))
        street = STREETS[int(rng.integers(len(STREETS)))]
        if r < 0.30:
            return (
                f"Улаанбаатар хот, {soum} дүүрэг, {khoroo}-р хороо, {street}, "
                f"{bair}-р байр, {toot} тоот"
            ), "ub_full"
        if r < 0.50:
            return f"УБ, {UB_ABBREV[soum]}, {khoroo}-р хороо, {bair} байр, {toot} тоот", "ub_abbrev"
        if r < 0.60:
            return f"{soum} д., {khoroo}-р хороо, {street}", "ub_district_only"
        if r < 0.70:
            return (
                f"{toot} тоот, {bair}-р байр, {khoroo}-р хороо, {soum} дүүрэг, Улаанбаатар",
                "ub_reverse",
            )
        if r < 0.82:
            style = LATIN_STYLES[int(rng.integers(len(LATIN_STYLES)))]
            return (
                f"Ulaanbaatar, {latin_variant(soum, style)} district, {khoroo}-r khoroo, "
                f"building {bair}"
            ), "ub_latin"
        if r < 0.90:
            return russian_keyboard(
                f"Улаанбаатар, {soum} дүүрэг, {khoroo}-р хороо"
            ), "ub_russian_keyboard"
        if r < 0.95:
            return f"Улаанбаатар хот, {typo(soum, rng)} дүүрэг, {khoroo} хороо", "ub_typo"
        return f"{row.postal_code} Улаанбаатар, {soum}", "ub_postal"
    bag = int(rng.integers(1, 9))
    town = TOWN_OF.get((row.aimag_code, soum))
    if r < 0.25:
        return f"{aimag_mn} аймаг, {soum} сум, {bag}-р баг", "aimag_full"
    if r < 0.40:
        return f"{aimag_mn} аймгийн {soum} сум, {bag}-р баг", "genitive"
    if r < 0.50:
        return f"{bag}-р баг, {soum} сум, {aimag_mn} аймаг", "reverse"
    if r < 0.60:
        return f"{aimag_mn} а., {soum} с.", "abbrev"
    if r < 0.72:
        style = LATIN_STYLES[int(rng.integers(len(LATIN_STYLES)))]
        return (
            f"{latin_variant(soum, style)} soum, {latin_variant(aimag_mn, style)} aimag"
        ), "latin"
    if r < 0.80:
        return russian_keyboard(f"{aimag_mn} аймаг, {soum} сум"), "russian_keyboard"
    if r < 0.86:
        return f"{typo(aimag_mn, rng)} аймаг, {typo(soum, rng)} сум", "typo"
    if r < 0.92 and town:
        return f"{aimag_mn}, {town} хот, {bag}-р баг", "town"
    if r < 0.96 and row.postal_code:
        return f"{row.postal_code}, {soum} сум", "postal"
    if r < 0.98:
        return f"{soum} сум, {bag}-р баг", "soum_only"
    return f"{aimag_mn} аймаг", "aimag_only"
