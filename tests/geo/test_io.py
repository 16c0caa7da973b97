from geo import io


def test_load_demo_firms_types():
    firms = io.load_demo_firms()
    assert len(firms) == 20_400
    assert firms["isic_division"].str.len().eq(2).all()
    assert firms["exporter"].dtype == bool
    assert firms["gps_lat"].isna().mean() > 0.5
    assert (firms["address"] == "").sum() > 0  # empty addresses stay rows, as text


# -- issue #15: encoding on a cut, header row, preview, private copies ---------------------

import tempfile                                                   # noqa: E402
from pathlib import Path                                          # noqa: E402

import pytest                                                     # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data"


def test_a_sample_cut_inside_a_letter_is_still_utf8():
    text = ("name,address\n" + "Фирм,Өмнөговь\n" * 20).encode("utf-8")
    cut = next(i for i in range(20, len(text)) if 0xC0 <= text[i - 1] <= 0xDF)
    assert io.sniff_text(text[:cut], complete=False) == ("utf-8-sig", ",")
    assert io.sniff_text(text[:cut])[0] == "cp1251"     # read as whole, it is not UTF-8
    utf16 = "name\taddress\nФирм\tӨмнөговь\n".encode("utf-16")
    assert io.sniff_text(utf16[:15], complete=False)[0] == "utf-16"   # half a code unit


@pytest.mark.parametrize("rows,expected", [
    ([["Title"], ["Source: x"], [""], ["name", "sector", "employees"], ["A", "G", "3"]], 3),
    ([["Group", "", "Place", ""], ["name", "sector", "address", "lat"], ["A", "G", "x", "1"]],
     1),
    ([["name", "employees"], ["A", "3"]], 0),
    ([["1", "2", "3"], ["4", "5", "6"]], 0),                # no header at all: the first row
    ([], 0),
    ([["Report 2026", "", ""], ["2026", "12", "1"], ["name", "sector", "employees"]], 2),
])
def test_header_row_detection(rows, expected):
    assert io.detect_header_row(rows) == expected


def test_a_csv_with_title_rows_reads_from_its_header(tmp_path):
    path = tmp_path / "titled.csv"
    path.write_text("Аж ахуйн нэгжийн бүртгэл\nЭх сурвалж: ҮСХ\n\n"
                    + (DATA / "utf8_comma.csv").read_text(encoding="utf-8"), encoding="utf-8")
    assert io.detect_header_row(io.preview_rows(path)) == 2        # blank lines skipped
    frame = io.read_table(path)
    assert frame.columns[0] == "Байгууллагын нэр" and len(frame) == 7


def test_preview_rows_of_csv_and_xlsx():
    rows = io.preview_rows(DATA / "title_block.xlsx", sheet="Бүртгэл")
    assert rows[0][0] == "Аж ахуйн нэгжийн бүртгэл, 2026" and rows[3][2] == "Ажилтны тоо"
    assert io.sheet_names(DATA / "title_block.xlsx") == ["Бүртгэл", "Notes"]
    rows = io.preview_rows(DATA / "cp1251_semicolon.csv")
    assert rows[0][0] == "Байгууллагын нэр" and len(rows) == 8
    assert io.preview_rows(DATA / "points.geojson") == []
    with pytest.raises(io.InputError, match="title_block.xlsx: no sheet"):
        io.preview_rows(DATA / "title_block.xlsx", sheet="Missing")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_uploads_are_removed_after_a_read_and_after_a_failed_one(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with io.private_copy("register.csv", (DATA / "utf8_comma.csv").read_bytes()) as path:
        assert path.name == "register.csv" and path.exists()
        assert len(io.read_table(path)) == 7
    assert _leftovers(tmp_path) == []
    with pytest.raises(io.InputError) as err:                     # a file that cannot be read
        with io.private_copy("Бүртгэл 2026.csv", bytes(range(256)) * 4) as path:
            io.read_table(path)
    assert str(err.value).startswith("Бүртгэл 2026.csv: ")      # the user's name, no temp name
    assert "cam_upload" not in str(err.value)
    with pytest.raises(ZeroDivisionError):                        # any other failure too
        with io.private_copy("x.xlsx", b"PK") as path:
            1 / 0  # noqa: B018
    assert _leftovers(tmp_path) == []
    with io.private_copy("../../etc/passwd", b"a\n1\n") as path:  # a name is only a name
        assert path.parent.parent == tmp_path and path.name == "passwd"
    assert _leftovers(tmp_path) == []


def test_the_import_flow_leaves_no_upload_on_the_server(tmp_path, monkeypatch):
    from geo.importflow import ImportFlow, Source

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    flow = ImportFlow()
    flow.open(Source("title_block.xlsx", "1", data=(DATA / "title_block.xlsx").read_bytes()))
    assert len(flow.frame) == 7
    flow.set_options(header_row=0)
    flow.set_options(sheet="Notes")
    flow.open(Source("broken.xlsx", "2", data=b"PK\x03\x04 not a workbook"))
    assert flow.error.startswith("broken.xlsx: ")
    flow.open(Source("noise.csv", "3", data=bytes(range(256)) * 8))
    assert flow.error.startswith("noise.csv: ")
    assert _leftovers(tmp_path) == []


def test_parse_coordinates_equals_the_value_by_value_parser():
    import numpy as np
    import pandas as pd

    from geo.geocode import parse_coordinate
    from geo.io import parse_coordinates

    values = ["47.9186", " 106.9 ", "47,9186", "47°55'07\"N", "N 47 55 07", "", None, "abc",
              "1_000", "nan", "-12.5", 47.5, 106, np.nan, "1e2", "47°75'N"]
    for dtype in (object, "str"):
        column = pd.Series(values if dtype is object else
                           [None if v is None or (isinstance(v, float) and np.isnan(v))
                            else str(v) for v in values], dtype=dtype)
        got = parse_coordinates(column)
        want = np.array([parse_coordinate(v) for v in column], dtype=float)
        assert np.array_equal(got, want, equal_nan=True), (dtype, got, want)
