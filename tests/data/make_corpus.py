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
    ("Хэрлэн Трейд", "Худалдаа", "5", "Хэрлэн сум", "", ""),  # ambiguous
    ("Алтан ноолуур", "13", "40", "УБ, ХУД, 3-р хороо", "47.8864", "106.9057"),
    ("", "G", "abc", "", "", ""),  # no name/number
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
        HERE / "cp1251_semicolon.csv", index=False, sep=";", encoding="cp1251"
    )
    (HERE / "empty.csv").write_bytes(b"")
    (HERE / "header_only.csv").write_text(",".join(HEAD) + "\n", encoding="utf-8")
    pd.concat([f, f.iloc[:3]]).to_csv(HERE / "duplicates.csv", index=False)
    dms = f.copy()
    dms.loc[2, ["Өргөрөг", "Уртраг"]] = ["43°06'00\"N", "106°51'00\"E"]
    dms.to_csv(HERE / "dms_coordinates.csv", index=False)
    swapped = f.copy()
    swapped.loc[2, ["Өргөрөг", "Уртраг"]] = ["106.85", "43.1"]
    swapped.loc[4, ["Өргөрөг", "Уртраг"]] = ["20.5", "70.1"]  # outside
    swapped.to_csv(HERE / "swapped_coordinates.csv", index=False)
    text = (
        ",".join(HEAD)
        + "\n"
        + "\n".join(",".join(f'"{v}"' for v in r) for r in ROWS)
        + '\n"Extra ХХК","G","3","УБ, СБД","","","unexpected","cells"\n'
    )
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
    book.create_sheet("Notes")["A1"] = '=HYPERLINK("http://example.com","x")'
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
        {
            "name": ["Gobi Mining LLC", "Алтан ноолуур"],
            "sector": ["B", "C"],
            "employees": [1200, 40],
        },
        geometry=[shapely.Point(106.85, 43.1), shapely.Point(106.9057, 47.8864)],
        crs=4326,
    )
    points.to_file(HERE / "points.geojson", driver="GeoJSON")
    points.to_file(HERE / "points.gpkg", driver="GPKG", layer="firms")
    (HERE / "not_a_table.csv").write_bytes(bytes(range(256)) * 4)


if __name__ == "__main__":
    main()


# -- large files, written at test time (not committed): see tests/geo/test_large_files.py --


def large_register(rows: int = 20_000, start: int = 0) -> pd.DataFrame:
    """A register exported from the demo firms, every cell text, with Mongolian headers."""
    from geo.io import load_demo_firms

    demo = load_demo_firms().iloc[start : start + rows]
    return pd.DataFrame(
        {
            HEAD[0]: demo["name"].to_numpy(),
            HEAD[1]: demo["isic_division"].to_numpy(),
            HEAD[2]: demo["employees"].astype(str).to_numpy(),
            HEAD[3]: demo["address"].to_numpy(),
            HEAD[4]: demo["gps_lat"].map(lambda v: "" if v != v else f"{v:.6f}").to_numpy(),
            HEAD[5]: demo["gps_lon"].map(lambda v: "" if v != v else f"{v:.6f}").to_numpy(),
        }
    )


def utf8_cut_inside_a_letter(frame: pd.DataFrame, cut: int = 200_000) -> tuple[bytes, pd.DataFrame]:
    """UTF-8 CSV bytes whose ``cut``-th byte is the first half of a two-byte letter (the
    frame is returned as adjusted: a few dots after the first firm's name)."""
    for dots in range(400):
        adjusted = frame.copy()
        adjusted.iloc[0, 0] = frame.iloc[0, 0] + "." * dots
        data = adjusted.to_csv(index=False).encode("utf-8")
        if 0xC0 <= data[cut - 1] <= 0xDF:
            return data, adjusted
    raise AssertionError("no cut inside a letter found")


def mojibake_column(frame: pd.DataFrame, every: int = 3) -> tuple[pd.DataFrame, int]:
    """The names of every ``every``-th row damaged as an old system would (UTF-8 read as
    Latin-1, Windows-1252 or Windows-1251, in turn); returns the damaged frame and the count."""
    import ftfy.bad_codecs  # noqa: F401  (the sloppy-windows codecs)

    damaged = frame.copy()
    codecs = ("latin-1", "sloppy-windows-1252", "sloppy-windows-1251")
    names = damaged.iloc[:, 0].tolist()
    count = 0
    for i in range(0, len(names), every):
        if not names[i].isascii():
            names[i] = names[i].encode("utf-8").decode(codecs[(i // every) % 3])
            count += 1
    damaged.iloc[:, 0] = names
    return damaged, count


def write_title_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """An XLSX export with a title block (title, source line, blank row) above the header."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Бүртгэл")
    sheet.append(["Аж ахуйн нэгжийн бүртгэл, 2026"])
    sheet.append(["Эх сурвалж: аймгийн статистикийн хэлтэс"])
    sheet.append([])
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    book.save(path)


def write_large(folder: Path) -> dict[str, tuple[Path, pd.DataFrame]]:
    """The large corpus (each file over 1 MB), with the table each must read as.

    ``utf8_cut.csv`` (the 200,000th byte inside a letter), ``utf16.csv``,
    ``cp1251.csv``, ``title.xlsx`` (title rows above the header) and
    ``mojibake.csv`` (a damaged name column; expected: the names repaired).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    frame = large_register()
    out: dict[str, tuple[Path, pd.DataFrame]] = {}
    data, adjusted = utf8_cut_inside_a_letter(frame)
    (folder / "utf8_cut.csv").write_bytes(data)
    out["utf8_cut.csv"] = (folder / "utf8_cut.csv", adjusted)
    frame.to_csv(folder / "utf16.csv", index=False, sep="\t", encoding="utf-16")
    out["utf16.csv"] = (folder / "utf16.csv", frame)
    russian = str.maketrans("ӨөҮү", "ОоУу")
    cyr = frame.rename(columns=lambda c: c.translate(russian)).map(  # what cp1251 can hold
        lambda v: v.translate(russian).encode("cp1251", "replace").decode("cp1251")
    )
    cyr.to_csv(folder / "cp1251.csv", index=False, sep=";", encoding="cp1251")
    out["cp1251.csv"] = (folder / "cp1251.csv", cyr)
    big = pd.concat([frame, large_register(10_000, 10_000)], ignore_index=True)
    write_title_xlsx(big, folder / "title.xlsx")
    out["title.xlsx"] = (folder / "title.xlsx", big)
    damaged, _ = mojibake_column(frame)
    damaged.to_csv(folder / "mojibake.csv", index=False, encoding="utf-8")
    out["mojibake.csv"] = (folder / "mojibake.csv", frame)
    return out
