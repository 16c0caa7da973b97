"""Looking at a file before reading it (geo.sniff): encoding on a cut, header row, preview,
private copies of uploads (issue #15)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from geo import io, sniff

DATA = Path(__file__).resolve().parents[1] / "data"


def test_a_sample_cut_inside_a_letter_is_still_utf8():
    text = ("name,address\n" + "Фирм,Өмнөговь\n" * 20).encode("utf-8")
    cut = next(i for i in range(20, len(text)) if 0xC0 <= text[i - 1] <= 0xDF)
    assert sniff.sniff_text(text[:cut], complete=False) == ("utf-8-sig", ",")
    assert sniff.sniff_text(text[:cut])[0] == "cp1251"  # read as whole, it is not UTF-8
    utf16 = "name\taddress\nФирм\tӨмнөговь\n".encode("utf-16")
    assert sniff.sniff_text(utf16[:15], complete=False)[0] == "utf-16"  # half a code unit


@pytest.mark.parametrize(
    "rows,expected",
    [
        ([["Title"], ["Source: x"], [""], ["name", "sector", "employees"], ["A", "G", "3"]], 3),
        (
            [
                ["Group", "", "Place", ""],
                ["name", "sector", "address", "lat"],
                ["A", "G", "x", "1"],
            ],
            1,
        ),
        ([["name", "employees"], ["A", "3"]], 0),
        ([["1", "2", "3"], ["4", "5", "6"]], 0),  # no header at all: the first row
        ([], 0),
        ([["Report 2026", "", ""], ["2026", "12", "1"], ["name", "sector", "employees"]], 2),
    ],
)
def test_header_row_detection(rows, expected):
    assert sniff.detect_header_row(rows) == expected


def test_a_csv_with_title_rows_reads_from_its_header(tmp_path):
    path = tmp_path / "titled.csv"
    path.write_text(
        "Аж ахуйн нэгжийн бүртгэл\nЭх сурвалж: ҮСХ\n\n"
        + (DATA / "utf8_comma.csv").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert sniff.detect_header_row(sniff.preview_rows(path)) == 2  # blank lines skipped
    frame = io.read_table(path)
    assert frame.columns[0] == "Байгууллагын нэр" and len(frame) == 7


def test_preview_rows_of_csv_and_xlsx():
    rows = sniff.preview_rows(DATA / "title_block.xlsx", sheet="Бүртгэл")
    assert rows[0][0] == "Аж ахуйн нэгжийн бүртгэл, 2026" and rows[3][2] == "Ажилтны тоо"
    assert sniff.sheet_names(DATA / "title_block.xlsx") == ["Бүртгэл", "Notes"]
    rows = sniff.preview_rows(DATA / "cp1251_semicolon.csv")
    assert rows[0][0] == "Байгууллагын нэр" and len(rows) == 8
    assert sniff.preview_rows(DATA / "points.geojson") == []
    with pytest.raises(sniff.InputError, match="title_block.xlsx: no sheet"):
        sniff.preview_rows(DATA / "title_block.xlsx", sheet="Missing")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_uploads_are_removed_after_a_read_and_after_a_failed_one(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with sniff.private_copy("register.csv", (DATA / "utf8_comma.csv").read_bytes()) as path:
        assert path.name == "register.csv" and path.exists()
        assert len(io.read_table(path)) == 7
    assert _leftovers(tmp_path) == []
    with pytest.raises(sniff.InputError) as err:  # a file that cannot be read
        with sniff.private_copy("Бүртгэл 2026.csv", bytes(range(256)) * 4) as path:
            io.read_table(path)
    assert str(err.value).startswith("Бүртгэл 2026.csv: ")  # the user's name, no temp name
    assert "cam_upload" not in str(err.value)
    with pytest.raises(ZeroDivisionError):  # any other failure too
        with sniff.private_copy("x.xlsx", b"PK") as path:
            1 / 0  # noqa: B018
    assert _leftovers(tmp_path) == []
    with sniff.private_copy("../../etc/passwd", b"a\n1\n") as path:  # a name is only a name
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
