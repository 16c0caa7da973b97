"""Write the awkward-file corpus of tests/data (run once; the files are committed).

    .venv/bin/python tests/data/make_corpus.py
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import shapely

HERE = Path(__file__).resolve().parent

ROWS = [
    ("Хүслэн-Барилга ХХК", "F", "13", "Дорнод аймгийн Хэрлэн сум, 1-р баг", "", ""),
    ("Уран-Аудит ХХК", "M", "2", "Хан-Уул д., 25-р хороо", "", ""),
    ("Gobi Mining LLC", "B", "1 200", "Umnugovi aimag, Khanbogd soum", "43.1", "106.85"),
    ("Хэрлэн Трейд", "Худалдаа", "5", "Хэрлэн сум", "", ""),                   # ambiguous
    ("Алтан ноолуур", "13", "40", "УБ, ХУД, 3-р хороо", "47.8864", "106.9057"),
    ("", "G", "abc", "", "", ""),                                               # no name/number
    ("Эрдэнэт Сүү", "10", "-3", "Орхон аймаг, Баян-Өндөр сум", "", ""),
]
HEAD = ["Байгууллагын нэр", "Салбар", "Ажилтны тоо", "Хаяг", "Өргөрөг", "Уртраг"]


def frame() -> pd.DataFrame:
    return pd.DataFrame(ROWS, columns=HEAD)


def main() -> None:
    f = frame()
    f.to_csv(HERE / "utf8_comma.csv", index=False, encoding="utf-8")
    f.to_csv(HERE / "utf8_bom_semicolon.csv", index=False, sep=";", encoding="utf-8-sig")
    f.to_csv(HERE / "utf16_tab.csv", index=False, sep="\t", encoding="utf-16")
    # Windows-1251 has no Ө or Ү: such files carry the Russian-keyboard О and У
    russian = str.maketrans("ӨөҮү", "ОоУу")
    f.rename(columns=lambda c: c.translate(russian)).map(lambda v: v.translate(russian)).to_csv(
        HERE / "cp1251_semicolon.csv", index=False, sep=";", encoding="cp1251")
    (HERE / "empty.csv").write_bytes(b"")
    (HERE / "header_only.csv").write_text(",".join(HEAD) + "\n", encoding="utf-8")
    pd.concat([f, f.iloc[:3]]).to_csv(HERE / "duplicates.csv", index=False)
    dms = f.copy()
    dms.loc[2, ["Өргөрөг", "Уртраг"]] = ["43°06'00\"N", "106°51'00\"E"]
    dms.to_csv(HERE / "dms_coordinates.csv", index=False)
    swapped = f.copy()
    swapped.loc[2, ["Өргөрөг", "Уртраг"]] = ["106.85", "43.1"]
    swapped.loc[4, ["Өргөрөг", "Уртраг"]] = ["20.5", "70.1"]                   # outside
    swapped.to_csv(HERE / "swapped_coordinates.csv", index=False)
    text = (",".join(HEAD) + "\n" + "\n".join(",".join(f'"{v}"' for v in r) for r in ROWS)
            + '\n"Extra ХХК","G","3","УБ, СБД","","","unexpected","cells"\n')
    (HERE / "ragged.csv").write_text(text, encoding="utf-8")

    # XLSX with a title block above the header (header on row 4)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Бүртгэл"
    sheet["A1"] = "Аж ахуйн нэгжийн бүртгэл, 2026"
    sheet["A2"] = "Эх сурвалж: аймгийн статистикийн хэлтэс"
    sheet.append([])
    sheet.append(HEAD)
    for r in ROWS:
        sheet.append(list(r))
    book.create_sheet("Notes")["A1"] = "=HYPERLINK(\"http://example.com\",\"x\")"
    book.save(HERE / "title_block.xlsx")

    # XLSX with merged header cells and numbers stored as text
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Байгууллага", None, "Байршил", None, None, None])
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("C1:F1")
    sheet.append(["Нэр", "Салбар", "Ажилтны тоо", "Хаяг", "Өргөрөг", "Уртраг"])
    for r in ROWS:
        sheet.append([str(v) for v in r])
    book.save(HERE / "merged_header.xlsx")

    points = gpd.GeoDataFrame(
        {"name": ["Gobi Mining LLC", "Алтан ноолуур"], "sector": ["B", "C"],
         "employees": [1200, 40]},
        geometry=[shapely.Point(106.85, 43.1), shapely.Point(106.9057, 47.8864)], crs=4326)
    points.to_file(HERE / "points.geojson", driver="GeoJSON")
    points.to_file(HERE / "points.gpkg", driver="GPKG", layer="firms")
    (HERE / "not_a_table.csv").write_bytes(bytes(range(256)) * 4)


if __name__ == "__main__":
    main()
