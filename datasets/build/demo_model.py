"""The model of the synthetic demo economy: its sectors, the named clusters planted in it
(where, how large, how old), and the related sectors planted beside them. Facts of place
come from public knowledge of Mongolia's clusters (see datasets/SOURCES.md); every firm
drawn from this model is synthetic. Used by ``make_demo_firms.py``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sector:
    """A sector of the demo economy: ISIC section, divisions and labels."""

    key: str
    section: str
    divisions: tuple[int, ...]
    label_en: str
    label_mn: str
    share: float  # share of all firms placed by the background model
    size_scale: float  # multiplies the heavy-tailed employment draw
    name_words: tuple[str, ...]


SECTORS: tuple[Sector, ...] = (
    Sector(
        "trade",
        "G",
        (45, 46, 47),
        "Wholesale and retail trade",
        "Худалдаа",
        0.30,
        0.8,
        ("Трейд", "Худалдаа", "Маркет", "Импекс", "Дэлгүүр"),
    ),
    Sector(
        "mining",
        "B",
        (5, 7, 8, 9),
        "Mining and mining services",
        "Уул уурхай",
        0.010,
        6.0,
        ("Майнинг", "Уул уурхай", "Ресурс", "Эрдэс", "Гео сервис"),
    ),
    Sector(
        "cashmere_wool_leather",
        "C",
        (13, 14, 15),
        "Cashmere, wool and leather",
        "Ноолуур, ноос, арьс шир",
        0.003,
        2.5,
        ("Ноолуур", "Кашемир", "Арьс шир", "Ноос", "Эсгий"),
    ),
    Sector(
        "meat_dairy",
        "C",
        (10,),
        "Meat and dairy",
        "Мах, сүү",
        0.012,
        1.6,
        ("Мах", "Сүү", "Фүүдс", "Махан бүтээгдэхүүн", "Цагаан идээ"),
    ),
    Sector(
        "crops",
        "A",
        (1,),
        "Crop farming",
        "Газар тариалан",
        0.006,
        1.4,
        ("Тариалан", "Агро", "Ургац", "Тариа"),
    ),
    Sector(
        "livestock",
        "A",
        (1,),
        "Livestock herding",
        "Мал аж ахуй",
        0.050,
        0.6,
        ("Малчин", "Мал аж ахуй", "Хоршоо", "Бэлчээр"),
    ),
    Sector(
        "tourism",
        "I",
        (55, 56, 79),
        "Tourism and hospitality",
        "Аялал жуулчлал",
        0.030,
        1.0,
        ("Тур", "Жуулчны бааз", "Зочид буудал", "Травел", "Кемп"),
    ),
    Sector(
        "construction_materials",
        "C",
        (23,),
        "Construction materials",
        "Барилгын материал",
        0.004,
        2.5,
        ("Цемент", "Бетон", "Тоосго", "Барилгын материал"),
    ),
    Sector(
        "construction",
        "F",
        (41, 42, 43),
        "Construction",
        "Барилга",
        0.090,
        1.6,
        ("Констракшн", "Барилга", "Инженеринг", "Девелопмент"),
    ),
    Sector(
        "ict",
        "J",
        (58, 61, 62, 63),
        "Information and communication technology",
        "Мэдээлэл, холбоо",
        0.010,
        1.2,
        ("Тех", "Софт", "Систем", "Дижитал", "Нэтворк"),
    ),
    Sector(
        "logistics",
        "H",
        (49, 52, 53),
        "Transport and logistics",
        "Тээвэр, логистик",
        0.035,
        1.2,
        ("Ложистик", "Тээвэр", "Карго", "Экспресс"),
    ),
    Sector(
        "finance",
        "K",
        (64, 65, 66),
        "Finance and insurance",
        "Санхүү",
        0.030,
        1.5,
        ("Капитал", "Финанс", "Санхүү", "ББСБ"),
    ),
    Sector(
        "professional",
        "M",
        (69, 70, 71, 73),
        "Professional services",
        "Мэргэжлийн үйлчилгээ",
        0.060,
        0.9,
        ("Консалтинг", "Аудит", "Зөвлөх", "Хуулийн"),
    ),
    Sector(
        "education",
        "P",
        (85,),
        "Education",
        "Боловсрол",
        0.040,
        1.5,
        ("Академи", "Сургууль", "Боловсрол", "Сургалтын төв"),
    ),
    Sector(
        "health",
        "Q",
        (86,),
        "Health",
        "Эрүүл мэнд",
        0.040,
        1.3,
        ("Эмнэлэг", "Клиник", "Эм хангамж", "Шүдний"),
    ),
    Sector(
        "energy",
        "D",
        (35,),
        "Energy and utilities",
        "Эрчим хүч",
        0.008,
        3.0,
        ("Эрчим хүч", "Энерги", "Дулаан", "Цахилгаан"),
    ),
    Sector(
        "other_manufacturing",
        "C",
        (16, 22, 25, 31),
        "Other manufacturing",
        "Бусад үйлдвэрлэл",
        0.045,
        1.2,
        ("Үйлдвэр", "Тавилга", "Хуванцар", "Металл"),
    ),
    Sector(
        "services",
        "S",
        (94, 95, 96),
        "Other services",
        "Бусад үйлчилгээ",
        0.197,
        0.6,
        ("Сервис", "Үйлчилгээ", "Гоо сайхан", "Засвар"),
    ),
)
#: Sectors that only the planted related firms carry (not drawn by the background model).
PLANTED_SECTORS: tuple[Sector, ...] = (
    Sector(
        "mining_services",
        "B",
        (9,),
        "Mining support services",
        "Уул уурхайн туслах үйлчилгээ",
        0.0,
        2.0,
        ("Майнинг сервис", "Өрөмдлөг", "Гео сервис", "Тэсэлгээ"),
    ),
)
SECTOR_BY_KEY = {s.key: s for s in SECTORS + PLANTED_SECTORS}

#: Named clusters: (sector, aimag ISO code, soum or district, firms per 20,000,
#: spread in km, employment multiplier, export share, foreign-owned share).
CLUSTERS: tuple[tuple[str, str, str, int, float, float, float, float], ...] = (
    ("mining", "MN-053", "Ханбогд", 200, 3.0, 2.0, 0.5, 0.45),
    ("mining", "MN-053", "Цогтцэций", 170, 2.5, 2.0, 0.6, 0.25),
    ("mining", "MN-053", "Даланзадгад", 60, 1.5, 1.0, 0.2, 0.2),
    ("mining", "MN-035", "Баян-Өндөр", 230, 2.5, 2.0, 0.5, 0.2),
    ("mining", "MN-063", "Сайншанд", 80, 1.5, 3.0, 0.2, 0.2),
    ("mining", "MN-063", "Айраг", 70, 2.0, 3.0, 0.3, 0.2),
    ("cashmere_wool_leather", "MN-1", "Хан-Уул", 430, 2.0, 1.5, 0.45, 0.2),
    ("cashmere_wool_leather", "MN-1", "Баянгол", 150, 1.2, 1.2, 0.35, 0.15),
    ("cashmere_wool_leather", "MN-037", "Хонгор", 60, 1.5, 1.0, 0.25, 0.1),
    ("cashmere_wool_leather", "MN-037", "Дархан", 70, 1.5, 1.0, 0.25, 0.1),
    ("meat_dairy", "MN-1", "Сонгинохайрхан", 300, 2.5, 1.8, 0.15, 0.05),
    ("meat_dairy", "MN-037", "Дархан", 90, 1.5, 1.6, 0.1, 0.05),
    ("meat_dairy", "MN-049", "Мандал", 80, 1.5, 1.6, 0.05, 0.02),
    ("meat_dairy", "MN-061", "Хэрлэн", 55, 1.5, 1.0, 0.1, 0.05),
    ("tourism", "MN-041", "Алаг-Эрдэнэ", 140, 2.5, 1.0, 0.3, 0.1),
    ("tourism", "MN-055", "Хархорин", 130, 2.0, 1.0, 0.3, 0.1),
    ("tourism", "MN-073", "Эрдэнэбулган", 70, 1.5, 1.0, 0.2, 0.05),
    ("tourism", "MN-047", "Эрдэнэ", 110, 3.0, 1.0, 0.2, 0.1),
    ("construction_materials", "MN-063", "Өргөн", 55, 1.5, 1.5, 0.1, 0.3),
    ("construction_materials", "MN-063", "Даланжаргалан", 55, 1.5, 1.5, 0.1, 0.2),
    ("construction_materials", "MN-049", "Сайхан", 55, 1.5, 1.5, 0.05, 0.2),
    ("crops", "MN-049", "Баянгол", 70, 3.0, 1.0, 0.1, 0.05),
    ("crops", "MN-049", "Шаамар", 50, 3.0, 1.0, 0.05, 0.05),
    ("crops", "MN-037", "Орхон", 60, 2.5, 1.0, 0.05, 0.05),
    ("crops", "MN-067", "Бүрэгхангай", 50, 2.5, 1.0, 0.05, 0.05),
    ("ict", "MN-1", "Сүхбаатар", 420, 1.2, 1.0, 0.15, 0.2),
    ("ict", "MN-1", "Чингэлтэй", 170, 1.0, 1.0, 0.1, 0.15),
    ("logistics", "MN-063", "Замын-Үүд", 160, 2.0, 1.0, 0.5, 0.3),
    ("logistics", "MN-063", "Сайншанд", 55, 1.5, 1.0, 0.3, 0.1),
    ("logistics", "MN-064", "Сүмбэр", 55, 1.5, 1.0, 0.3, 0.1),
)

#: Related sectors planted next to named clusters (issue 18): (sector placed, its ISIC
#: division, the sector it sits beside, firms per 20,000, distance to its neighbour in km).
#: Leather works beside meat processing (hides), drilling and blasting contractors and
#: hauliers beside mines, research institutes beside ICT firms (so that the register's
#: institutions, geo.institutions, include research as well as education and finance).
#: Tourism and mining are kept apart: the planted unrelated pair.
RELATED: tuple[tuple[str, int, str, int, float], ...] = (
    ("cashmere_wool_leather", 15, "meat_dairy", 120, 0.3),
    ("mining_services", 9, "mining", 150, 0.4),
    ("logistics", 49, "mining", 100, 0.5),
    ("professional", 72, "ict", 30, 0.5),  # research institutes (ISIC 72) beside ICT firms
)
#: The pair the planting keeps apart.
UNRELATED = ("tourism", "mining")
#: Offset of the planted firms' own seed from the registry's.
RELATED_SEED_OFFSET = 18

#: How old the firms of each named cluster (by its position in :data:`CLUSTERS`) are:
#: ``old`` founded over 1990-2015 (Erdenet's mining, the capital's cashmere and meat),
#: ``growing`` founded more and more often since 2005 (Oyu Tolgoi, Tavan Tolgoi, Khatgal),
#: ``young`` mostly founded in the last 5-8 years (the capital's ICT, Dornogovi's
#: construction materials and logistics, new tourism). Other firms keep the general draw.
CLUSTER_AGES: tuple[str, ...] = (
    "growing",
    "growing",
    "young",
    "old",
    "young",
    "old",  # mining
    "old",
    "old",
    "growing",
    "old",  # cashmere, wool, leather
    "old",
    "old",
    "growing",
    "young",  # meat and dairy
    "growing",
    "old",
    "young",
    "young",  # tourism
    "young",
    "young",
    "old",  # construction materials
    "old",
    "old",
    "growing",
    "old",  # crops
    "young",
    "young",  # ICT
    "growing",
    "young",
    "young",  # logistics
)
#: The register's year: no firm is founded later.
REGISTER_YEAR = 2026
